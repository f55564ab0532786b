// The built CLI against a loopback GCP Secret Manager that answers as the
// REST API does: keys, versions, one call per distinct (secret, version),
// each failure class with its code, and no value, token or server message
// on stderr. Nothing leaves the machine: a preload refuses non-loopback hosts.
import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import { parseAllDocuments } from 'yaml'
import {
  GCP_MESSAGE_CANARY,
  gcpEnv,
  startFakeGcpSecretManager,
  type FakeGcpSecretManager,
} from '../support/fake-gcp-secret-manager'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { isLoopback, watchProcess } from '../support/watch'

let fake: FakeGcpSecretManager

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  fake = await startFakeGcpSecretManager()
})

afterAll(async () => {
  await fake.close()
})

const DB = 'projects/p1/secrets/db'
const API = 'projects/p1/secrets/api'

beforeEach(() => {
  fake.reset()
  fake.addVersion(DB, '{"password":"canary-old-pw","port":5432}')
  fake.addVersion(DB, '{"password":"canary-db-pw","port":5432}')
  fake.addVersion(API, 'canary-api-token')
})

function manifest(data: Record<string, string>, annotations: Record<string, string> = {}): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app']
  if (Object.keys(annotations).length > 0) {
    lines.push('  annotations:')
    for (const [k, v] of Object.entries(annotations)) lines.push(`    ${k}: ${JSON.stringify(v)}`)
  }
  lines.push('data:')
  for (const [k, v] of Object.entries(data)) lines.push(`  ${k}: ${JSON.stringify(v)}`)
  return `${lines.join('\n')}\n`
}

async function generate(input: string, env: Record<string, string | undefined> = {}) {
  const started = Date.now()
  const watch = watchProcess()
  const result = await runCli(['generate', '-'], {
    stdin: input,
    env: baseEnv({ ...gcpEnv(fake, env), ...watch.env }),
  })
  const hosts = watch.read().hosts
  expect(hosts.filter((h) => !isLoopback(h))).toEqual([])
  return { ...result, ms: Date.now() - started }
}

function dataOf(result: CliResult): unknown {
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return (parseAllDocuments(result.stdout)[0]?.toJS() as { data: unknown }).data
}

/** Error lines of a failed run; asserts fail-closed and that nothing secret leaked. */
function failureLines(result: CliResult, code = 1): string[] {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(code)
  expect(result.stderr).not.toMatch(/canary-/)
  expect(result.stderr).not.toContain(GCP_MESSAGE_CANARY)
  expect(result.stderr).not.toContain(fake.accessToken)
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '))
}

test('reads JSON fields, the whole payload by secret id, versions, and each distinct version once', async () => {
  const input =
    manifest({
      pw: `<path:${DB}#password>`,
      again: `<path:${DB}#password>`,
      port: `<path:${DB}#port>`,
      old: `<path:${DB}#password#1>`,
      whole: `<path:${API}#api>`,
    }) +
    '---\n' +
    manifest({ generic: '<password>' }, { 'avp.kubernetes.io/path': DB }).replace(
      'name: app',
      'name: generic',
    )
  const result = await generate(input)
  expect(dataOf(result)).toEqual({
    pw: 'canary-db-pw',
    again: 'canary-db-pw',
    port: '5432',
    old: 'canary-old-pw',
    whole: 'canary-api-token',
  })
  expect(Object.fromEntries(fake.accessCalls())).toEqual({
    [`${DB}/versions/latest`]: 1,
    [`${DB}/versions/1`]: 1,
    [`${API}/versions/latest`]: 1,
  })
  expect(fake.tokenCalls()).toBe(1)
  process.stdout.write(`gcp: 3 distinct reads in one run: ${String(result.ms)} ms\n`)
})

test('a regional secret is read by its location path, once per distinct version', async () => {
  const regional = 'projects/p1/locations/europe-west4/secrets/db'
  fake.addVersion(regional, '{"password":"canary-regional-pw"}')
  const result = await generate(
    manifest({
      a: `<path:${regional}#password>`,
      b: `<path:${regional}#password#1>`,
      c: `<path:${regional}#password>`,
      global: `<path:${DB}#password>`,
    }),
  )
  expect(dataOf(result)).toEqual({
    a: 'canary-regional-pw',
    b: 'canary-regional-pw',
    c: 'canary-regional-pw',
    global: 'canary-db-pw',
  })
  expect(Object.fromEntries(fake.accessCalls())).toEqual({
    [`${regional}/versions/latest`]: 1,
    [`${regional}/versions/1`]: 1,
    [`${DB}/versions/latest`]: 1,
  })
})

test('a missing key, a missing secret and a missing version are reported per placeholder', async () => {
  const result = await generate(
    manifest({
      a: `<path:${DB}#nope>`,
      b: '<path:projects/p1/secrets/gone#gone>',
      c: `<path:${DB}#password#9>`,
    }),
  )
  expect(failureLines(result)).toEqual([
    `error: KEY_NOT_FOUND: key "nope" not found in ${DB} at <stdin>#1 ConfigMap/app data.a (<path:${DB}#nope>)`,
    'error: SECRET_NOT_FOUND: secret projects/p1/secrets/gone not found in GCP Secret Manager (NOT_FOUND, HTTP 404) at <stdin>#1 ConfigMap/app data.b (<path:projects/p1/secrets/gone#gone>)',
    `error: SECRET_NOT_FOUND: secret ${DB} (version 9) not found in GCP Secret Manager (NOT_FOUND, HTTP 404) at <stdin>#1 ConfigMap/app data.c (<path:${DB}#password#9>)`,
  ])
})

test('a disabled or destroyed version is VERSION_DELETED and says which', async () => {
  fake.addVersion(API, 'canary-disabled', 'DISABLED')
  fake.addVersion(API, 'canary-destroyed', 'DESTROYED')
  const result = await generate(manifest({ a: `<path:${API}#api#2>`, b: `<path:${API}#api#3>` }))
  expect(failureLines(result)).toEqual([
    `error: VERSION_DELETED: secret ${API} (version 2) is disabled: enable it, or name an enabled version after the key (#key#<version>) (FAILED_PRECONDITION, HTTP 400) at <stdin>#1 ConfigMap/app data.a (<path:${API}#api#2>)`,
    `error: VERSION_DELETED: secret ${API} (version 3) is destroyed: enable it, or name an enabled version after the key (#key#<version>) (FAILED_PRECONDITION, HTTP 400) at <stdin>#1 ConfigMap/app data.b (<path:${API}#api#3>)`,
  ])
})

test('permission denied names the role needed and is not retried', async () => {
  fake.fault({ kind: 'PERMISSION_DENIED', secret: DB })
  const result = await generate(manifest({ a: `<path:${DB}#password>` }))
  expect(failureLines(result)).toEqual([
    `error: ACCESS_DENIED: permission denied for secret ${DB}: the service account needs roles/secretmanager.secretAccessor (secretmanager.versions.access) on it; GCP also answers this when the secret does not exist (PERMISSION_DENIED, HTTP 403) at <stdin>#1 ConfigMap/app data.a (<path:${DB}#password>)`,
  ])
  expect(fake.totalAccessCalls()).toBe(1)
})

test('throttling twice is retried and succeeds; throttling for good is THROTTLED after 3 attempts', async () => {
  fake.fault({ kind: 'RESOURCE_EXHAUSTED', secret: DB, times: 2 })
  const ok = await generate(manifest({ a: `<path:${DB}#password>` }))
  expect(dataOf(ok)).toEqual({ a: 'canary-db-pw' })
  expect(fake.totalAccessCalls()).toBe(3)

  fake.fault({ kind: 'RESOURCE_EXHAUSTED', secret: API })
  const lines = failureLines(await generate(manifest({ a: `<path:${API}#api>` })))
  expect(lines).toEqual([
    `error: THROTTLED: GCP throttled the requests for secret ${API} until the retries ran out (RESOURCE_EXHAUSTED, HTTP 429, 3 attempts) at <stdin>#1 ConfigMap/app data.a (<path:${API}#api>)`,
  ])
})

test('an unavailable service is retried, then UNAVAILABLE; a body that is not JSON is BACKEND_ERROR', async () => {
  fake.fault({ kind: 'UNAVAILABLE', secret: DB })
  fake.fault({ kind: 'malformed', secret: API })
  const lines = failureLines(
    await generate(manifest({ a: `<path:${DB}#password>`, b: `<path:${API}#api>` })),
  )
  expect(lines).toEqual([
    `error: UNAVAILABLE: GCP Secret Manager failed while reading secret ${DB} (UNAVAILABLE, HTTP 503, 3 attempts) at <stdin>#1 ConfigMap/app data.a (<path:${DB}#password>)`,
    `error: BACKEND_ERROR: GCP Secret Manager sent an answer that is not valid JSON for secret ${API} (no details) at <stdin>#1 ConfigMap/app data.b (<path:${API}#api>)`,
  ])
})

test('a server slower than AVP_DEADLINE gives TIMEOUT promptly', async () => {
  fake.fault({ kind: 'slow', delayMs: 30_000 })
  const result = await generate(manifest({ a: `<path:${DB}#password>` }), { AVP_DEADLINE: '1' })
  expect(failureLines(result)).toEqual([
    `error: TIMEOUT: GCP Secret Manager did not answer within the 1 s deadline (AVP_DEADLINE) while reading secret ${DB} at <stdin>#1 ConfigMap/app data.a (<path:${DB}#password>)`,
  ])
  expect(result.ms).toBeLessThan(4_000)
})

test('a service-account key file signs its own token; the key never reaches stderr', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const email = 'plugin@p1.iam.gserviceaccount.com'
  fake.trustServiceAccount(email, publicKey.export({ type: 'spki', format: 'pem' }).toString())
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const dir = testdir({
    'sa.json': JSON.stringify({
      type: 'service_account',
      project_id: 'p1',
      private_key_id: 'canary-key-id',
      private_key: pem,
      client_email: email,
      client_id: '1',
      token_uri: `${fake.endpoint}/token`,
    }),
  })
  const env = { GOOGLE_APPLICATION_CREDENTIALS: `${dir}/sa.json`, GCE_METADATA_HOST: '127.0.0.1:1' }
  expect(dataOf(await generate(manifest({ a: `<path:${DB}#password>` }), env))).toEqual({
    a: 'canary-db-pw',
  })
  expect(fake.tokenCalls()).toBe(0)

  fake.fault({ kind: 'PERMISSION_DENIED' })
  const failed = await generate(manifest({ a: `<path:${DB}#password>` }), env)
  failureLines(failed)
  expect(failed.stderr).not.toContain(pem.split('\n')[1])
})

test('no credentials at all is AUTH_FAILED with what to set', async () => {
  const result = await generate(manifest({ a: `<path:${DB}#password>` }), {
    GCE_METADATA_HOST: '127.0.0.1:1',
  })
  expect(failureLines(result)).toEqual([
    `error: AUTH_FAILED: no Google credentials found for reading secret ${DB}: set GOOGLE_APPLICATION_CREDENTIALS to a key file, or run on GKE with Workload Identity (docs/backends/gcp.md) at <stdin>#1 ConfigMap/app data.a (<path:${DB}#password>)`,
  ])
  expect(fake.totalAccessCalls()).toBe(0)
})

test('a malformed path is CONFIG_INVALID and makes no call', async () => {
  const result = await generate(manifest({ a: `<path:${DB}/versions/2#password>` }))
  expect(failureLines(result)).toEqual([
    `error: CONFIG_INVALID: path "${DB}/versions/2" is not in the form projects/<project>/secrets/<secret id> (or projects/<project>/locations/<location>/secrets/<secret id>) for GCP Secret Manager; give the version after the key instead: <path:projects/p/secrets/s#key#3> at <stdin>#1 ConfigMap/app data.a (<path:${DB}/versions/2#password>)`,
  ])
  expect(fake.totalAccessCalls()).toBe(0)
})

test('an Application cannot point the endpoint elsewhere, even when the operator allows every key', async () => {
  const result = await generate(manifest({ a: `<path:${DB}#password>` }), {
    AVP_APP_ENV_ALLOWLIST: '*',
    ARGOCD_ENV_AVP_GCP_ENDPOINT: 'http://127.0.0.1:1',
  })
  expect(result.stdout).toBe('')
  expect(result.code).toBe(2)
  expect(result.stderr).toContain(
    "ARGOCD_ENV_AVP_GCP_ENDPOINT: AVP_GCP_ENDPOINT chooses an endpoint or credential, so only the sidecar's environment, config file or Secret may set it",
  )
  expect(fake.totalAccessCalls()).toBe(0)
})
