// The built CLI against a fake Secrets Manager for the failures moto never
// produces (docs/design/aws-wire.md): every failure names the secret, prints no
// value and no server message, and leaves stdout empty.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { parseAllDocuments } from 'yaml'
import {
  FAKE_MESSAGE_CANARY,
  startFakeSecretsManager,
  type FakeSecretsManager,
} from '../support/fake-secrets-manager'
import { awsEnv } from '../support/moto'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'

let fake: FakeSecretsManager

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  fake = await startFakeSecretsManager()
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => {
  fake.reset()
  fake.put('app/db', { string: '{"pw":"canary-db-pw"}' })
  fake.put('app/api', { string: '{"key":"canary-api-key"}' })
})

const MANIFEST = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: app',
  'data:',
  '  db: <path:app/db#pw>',
  '  api: <path:app/api#key>',
  '',
].join('\n')

const VERSIONED = MANIFEST.replace('<path:app/db#pw>', '<path:app/db#pw#AWSPREVIOUS>')

async function generate(manifest: string, env: Record<string, string | undefined> = {}) {
  const started = Date.now()
  const result = await runCli(['generate', '-'], {
    stdin: manifest,
    env: baseEnv(awsEnv(fake.endpoint, env)),
  })
  return { ...result, ms: Date.now() - started }
}

/** Error lines of a failed run; asserts fail-closed and that no canary leaked. */
function failureLines(result: CliResult): string[] {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(1)
  expect(result.stderr).not.toMatch(/canary-/)
  expect(result.stderr).not.toContain(FAKE_MESSAGE_CANARY)
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '))
}

test('a role without BatchGetSecretValue falls back to GetSecretValue per secret', async () => {
  fake.fault({ op: 'BatchGetSecretValue', kind: 'AccessDeniedException' })
  const result = await generate(MANIFEST)
  expect(result.code).toBe(0)
  const doc = parseAllDocuments(result.stdout)[0]?.toJS() as { data: unknown }
  expect(doc.data).toEqual({ db: 'canary-db-pw', api: 'canary-api-key' })
  expect(fake.calls('BatchGetSecretValue')).toBe(1)
  expect(fake.calls('GetSecretValue')).toBe(2)
})

test('access denied on GetSecretValue names the secret and the permission', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'AccessDeniedException', secretId: 'app/db' })
  const lines = failureLines(await generate(VERSIONED))
  expect(lines).toEqual([
    'error: ACCESS_DENIED: access denied to secret app/db (stage AWSPREVIOUS): the role needs secretsmanager:GetSecretValue on it (AccessDeniedException, HTTP 400, request id fake-request-0001) at <stdin>#1 ConfigMap/app data.db (<path:app/db#pw#AWSPREVIOUS>)',
  ])
})

test('per-secret errors inside a batch answer are reported per secret', async () => {
  fake.fault({ op: 'BatchGetSecretValue', kind: 'DecryptionFailure', secretId: 'app/db' })
  fake.fault({ op: 'BatchGetSecretValue', kind: 'AccessDeniedException', secretId: 'app/api' })
  const lines = failureLines(await generate(MANIFEST))
  expect(lines).toEqual([
    'error: ACCESS_DENIED: access denied to secret app/api: the role needs secretsmanager:GetSecretValue on it (AccessDeniedException) at <stdin>#1 ConfigMap/app data.api (<path:app/api#key>)',
    "error: DECRYPTION_FAILED: AWS KMS could not decrypt secret app/db: the role needs kms:Decrypt on the secret's KMS key (DecryptionFailure) at <stdin>#1 ConfigMap/app data.db (<path:app/db#pw>)",
  ])
  expect(fake.calls('GetSecretValue')).toBe(0)
})

test('a KMS decryption failure on GetSecretValue is DECRYPTION_FAILED', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'DecryptionFailure' })
  const lines = failureLines(await generate(VERSIONED))
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(
    /^error: DECRYPTION_FAILED: AWS KMS could not decrypt secret app\/db \(stage AWSPREVIOUS\)/,
  )
})

test('throttling twice then success is retried by the SDK and succeeds', async () => {
  fake.fault({ op: 'BatchGetSecretValue', kind: 'ThrottlingException', times: 2 })
  const result = await generate(MANIFEST)
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(fake.calls('BatchGetSecretValue')).toBe(3)
  process.stdout.write(`aws throttled x2 then ok: ${String(result.ms)} ms\n`)
})

test('throttling that outlasts the retries is THROTTLED after 3 attempts', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'ThrottlingException' })
  const result = await generate(VERSIONED)
  const lines = failureLines(result)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(
    /^error: THROTTLED: AWS throttled the requests for secret app\/db \(stage AWSPREVIOUS\) until the retries ran out \(AWS_MAX_ATTEMPTS\) \(ThrottlingException, HTTP 400, 3 attempts, request id fake-request-0001\)/,
  )
  expect(fake.calls('GetSecretValue')).toBe(3)
  process.stdout.write(`aws throttled forever, 3 attempts: ${String(result.ms)} ms\n`)
})

test('throttling that cannot finish within AVP_DEADLINE says so', async () => {
  fake.fault({ op: 'BatchGetSecretValue', kind: 'ThrottlingException' })
  const result = await generate(MANIFEST, { AVP_DEADLINE: '1.5', AWS_MAX_ATTEMPTS: '20' })
  const lines = failureLines(result)
  expect(lines).toEqual([
    'error: THROTTLED: AWS throttled the requests and they could not finish within the 1.5 s deadline (AVP_DEADLINE) while reading secret app/api at <stdin>#1 ConfigMap/app data.api (<path:app/api#key>)',
    'error: THROTTLED: AWS throttled the requests and they could not finish within the 1.5 s deadline (AVP_DEADLINE) while reading secret app/db at <stdin>#1 ConfigMap/app data.db (<path:app/db#pw>)',
  ])
  expect(result.ms).toBeLessThan(5_000)
  process.stdout.write(`aws throttled past a 1.5 s deadline: exit after ${String(result.ms)} ms\n`)
})

test('HTTP 500 is retried, then UNAVAILABLE', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'InternalServiceError' })
  const lines = failureLines(await generate(VERSIONED))
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(
    /^error: UNAVAILABLE: AWS Secrets Manager failed while reading secret app\/db \(stage AWSPREVIOUS\) \(InternalServiceError, HTTP 500, 3 attempts/,
  )
  expect(fake.calls('GetSecretValue')).toBe(3)
})

test('a body that is not JSON is a BACKEND_ERROR that quotes nothing of it', async () => {
  fake.fault({ op: 'BatchGetSecretValue', kind: 'malformed' })
  const lines = failureLines(await generate(MANIFEST))
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(
    /^error: BACKEND_ERROR: AWS Secrets Manager sent an answer that is not valid JSON for secret app\/api \(body not JSON, HTTP 200/,
  )
})

test('a server slower than AVP_DEADLINE gives TIMEOUT', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'slow', delayMs: 30_000 })
  const result = await generate(VERSIONED, { AVP_DEADLINE: '1' })
  const lines = failureLines(result)
  expect(lines).toEqual([
    'error: TIMEOUT: AWS Secrets Manager did not answer within the 1 s deadline (AVP_DEADLINE) while reading secret app/db (stage AWSPREVIOUS) at <stdin>#1 ConfigMap/app data.db (<path:app/db#pw#AWSPREVIOUS>)',
  ])
  expect(result.ms).toBeLessThan(4_000)
})

test('nothing listening is UNAVAILABLE after the retries', async () => {
  const closed = await startFakeSecretsManager()
  const endpoint = closed.endpoint
  await closed.close()
  const result = await runCli(['generate', '-'], {
    stdin: VERSIONED,
    env: baseEnv(awsEnv(endpoint)),
  })
  const lines = failureLines(result)
  expect(lines).toEqual([
    'error: UNAVAILABLE: could not reach AWS Secrets Manager for secret app/api (ECONNREFUSED, 3 attempts) at <stdin>#1 ConfigMap/app data.api (<path:app/api#key>)',
    'error: UNAVAILABLE: could not reach AWS Secrets Manager for secret app/db (stage AWSPREVIOUS) (ECONNREFUSED, 3 attempts) at <stdin>#1 ConfigMap/app data.db (<path:app/db#pw#AWSPREVIOUS>)',
  ])
})

test('SIGTERM from Argo CD aborts a slow read and exits non-zero at once', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'slow', delayMs: 30_000 })
  const child = spawn(process.execPath, [CLI_PATH, 'generate', '-'], {
    env: baseEnv(awsEnv(fake.endpoint)),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin.end(VERSIONED)
  // Wait until the request is in flight, then stop the run as Argo CD does.
  while (fake.calls('GetSecretValue') === 0) await new Promise((r) => setTimeout(r, 20))
  const stopped = Date.now()
  child.kill('SIGTERM')
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  expect(Date.now() - stopped).toBeLessThan(2_000)
  expect(code).not.toBe(0)
  expect(stdout).toBe('')
  expect(stderr).toContain(
    'error: TIMEOUT: reading secret app/db (stage AWSPREVIOUS) was cancelled (the run was stopped)',
  )
})
