// The built CLI against moto's Secrets Manager (docs/design/aws-wire.md): names,
// ARNs, JSON/plain/binary secrets, stages and version ids, deleted secrets,
// batch chunking (counted by a proxy in front of moto), per-secret batch
// errors, cross-region ARNs and the missing-region error.
import fs from 'node:fs'
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { parseAllDocuments } from 'yaml'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'
import { awsEnv, startMoto, type Moto } from '../support/moto'

let moto: Moto
let east: SecretsManagerClient
let west: SecretsManagerClient

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  moto = await startMoto()
  east = moto.client('us-east-1')
  west = moto.client('eu-west-1')
}, 40_000)

afterAll(async () => {
  await moto.stop()
})

beforeEach(async () => {
  await moto.reset()
})

async function create(client: SecretsManagerClient, name: string, value: string | Buffer) {
  const out = await client.send(
    new CreateSecretCommand(
      typeof value === 'string'
        ? { Name: name, SecretString: value }
        : { Name: name, SecretBinary: value },
    ),
  )
  return { arn: out.ARN ?? '', versionId: out.VersionId ?? '' }
}

function generate(
  manifest: string,
  env: Record<string, string | undefined> = {},
  args: string[] = [],
) {
  return runCli(['generate', ...args, '-'], {
    stdin: manifest,
    env: baseEnv(awsEnv(moto.proxyEndpoint, env)),
  })
}

function configMap(data: Record<string, string>): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`)
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: app',
    'data:',
    ...lines,
    '',
  ].join('\n')
}

function dataOf(result: CliResult, index = 0): Record<string, unknown> {
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const doc = parseAllDocuments(result.stdout)[index]?.toJS() as { data?: Record<string, unknown> }
  return doc.data ?? {}
}

/** A failed run: nothing on stdout, and no canary value anywhere on stderr. */
function expectFailure(result: CliResult): string[] {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(1)
  expect(result.stderr).not.toMatch(/canary-/)
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '))
}

test('resolves names, full and partial ARNs, stages, version ids, plain, binary and cross-region secrets', async () => {
  const db = await create(east, 'app/db', '{"user":"admin","password":"canary-pw-v1","port":5432}')
  const v2 = JSON.stringify({ user: 'admin', password: 'canary-pw-v2', port: 5432 })
  await east.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: v2 }))
  await east.send(
    new UpdateSecretVersionStageCommand({
      SecretId: 'app/db',
      VersionStage: 'BLUE',
      MoveToVersionId: db.versionId,
    }),
  )
  await create(east, 'plain/token', 'canary-plain-token')
  await create(east, 'bin/key', Buffer.from([0, 1, 2, 250, 255]))
  const eu = await create(west, 'eu/one', '{"a":"canary-eu"}')
  moto.calls.clear()

  const partial = db.arn.slice(0, -7)
  const result = await generate(
    configMap({
      name: '<path:app/db#password>',
      full: `<path:${db.arn}#user>`,
      partial: `<path:${partial}#password>`,
      current: '<path:app/db#password#AWSCURRENT>',
      previous: '<path:app/db#password#AWSPREVIOUS>',
      label: '<path:app/db#password#BLUE>',
      versionId: `<path:app/db#password#${db.versionId}>`,
      whole: '<path:app/db#SecretString>',
      port: '<path:app/db#port>',
      plain: '<path:plain/token#SecretString>',
      binary: '<path:bin/key#SecretBinary>',
      cross: `<path:${eu.arn.slice(0, -7)}#a>`,
    }),
    {},
    ['--verbose'],
  )
  expect(result.code).toBe(0)
  // --verbose names paths and timings, never a value.
  expect(result.stderr).not.toMatch(/canary-/)
  const data = parseAllDocuments(result.stdout)[0]?.toJS() as { data: Record<string, unknown> }
  expect(data.data).toEqual({
    name: 'canary-pw-v2',
    full: 'admin',
    partial: 'canary-pw-v2',
    current: 'canary-pw-v2',
    previous: 'canary-pw-v1',
    label: 'canary-pw-v1',
    versionId: 'canary-pw-v1',
    whole: v2,
    port: '5432',
    plain: 'canary-plain-token',
    binary: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
    cross: 'canary-eu',
  })
  // One batch per region for the latest versions (AWSCURRENT included);
  // one GetSecretValue per other distinct version (AWSPREVIOUS, BLUE, the id).
  expect(moto.calls.count('BatchGetSecretValue')).toBe(2)
  expect(moto.calls.count('GetSecretValue')).toBe(3)
})

test('a generic placeholder takes its version from avp.kubernetes.io/secret-version', async () => {
  await create(east, 'app/db', '{"password":"canary-old"}')
  await east.send(
    new PutSecretValueCommand({ SecretId: 'app/db', SecretString: '{"password":"canary-new"}' }),
  )
  const manifest = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: app',
    '  annotations:',
    '    avp.kubernetes.io/path: app/db',
    '    avp.kubernetes.io/secret-version: AWSPREVIOUS',
    'data:',
    '  password: <password>',
    '',
  ].join('\n')
  expect(dataOf(await generate(manifest))).toEqual({ password: 'canary-old' })
})

test('45 distinct secrets take three batch calls of at most 20 ids, each secret read once', async () => {
  const data: Record<string, string> = {}
  for (let i = 0; i < 45; i++) {
    const name = `bulk/s${String(i).padStart(2, '0')}`
    await create(
      east,
      name,
      JSON.stringify({ a: `canary-a-${String(i)}`, b: `canary-b-${String(i)}` }),
    )
    data[`a${String(i)}`] = `<path:${name}#a>`
    data[`b${String(i)}`] = `<path:${name}#b>`
  }
  moto.calls.clear()
  const started = Date.now()
  const out = dataOf(await generate(configMap(data)))
  const ms = Date.now() - started
  expect(out['a0']).toBe('canary-a-0')
  expect(out['b44']).toBe('canary-b-44')
  expect(Object.keys(out)).toHaveLength(90)
  expect(moto.calls.count('BatchGetSecretValue')).toBe(3)
  expect([...moto.calls.batchSizes].sort((x, y) => x - y)).toEqual([5, 20, 20])
  expect(moto.calls.count('GetSecretValue')).toBe(0)
  process.stdout.write(`aws 45-secret run: 3 batch calls, 0 single reads, ${String(ms)} ms\n`)
})

test('one missing secret among many is reported for its own placeholder only', async () => {
  const data: Record<string, string> = { gone: '<path:missing/one#x>' }
  for (let i = 0; i < 10; i++) {
    await create(east, `many/s${String(i)}`, `{"v":"canary-v-${String(i)}"}`)
    data[`v${String(i)}`] = `<path:many/s${String(i)}#v>`
  }
  moto.calls.clear()
  const errors = expectFailure(await generate(configMap(data)))
  expect(errors).toEqual([
    'error: SECRET_NOT_FOUND: secret missing/one not found in AWS Secrets Manager (ResourceNotFoundException) at <stdin>#1 ConfigMap/app data.gone (<path:missing/one#x>)',
  ])
  expect(moto.calls.count('BatchGetSecretValue')).toBe(1)
})

test('a deleted secret says it is scheduled for deletion, batched or versioned', async () => {
  await create(east, 'old/db', '{"pw":"canary-deleted"}')
  await east.send(
    new PutSecretValueCommand({ SecretId: 'old/db', SecretString: '{"pw":"canary-d2"}' }),
  )
  await east.send(new DeleteSecretCommand({ SecretId: 'old/db', RecoveryWindowInDays: 7 }))
  const errors = expectFailure(
    await generate(
      configMap({ latest: '<path:old/db#pw>', previous: '<path:old/db#pw#AWSPREVIOUS>' }),
    ),
  )
  expect(errors).toHaveLength(2)
  expect(errors[0]).toMatch(
    /^error: SECRET_NOT_FOUND: secret old\/db is scheduled for deletion \(InvalidRequestException\) at .* data\.latest/,
  )
  expect(errors[1]).toMatch(
    /^error: SECRET_NOT_FOUND: secret old\/db \(stage AWSPREVIOUS\) is scheduled for deletion \(InvalidRequestException, HTTP 400, request id [^)]+\) at .* data\.previous/,
  )
})

test('an unknown version id or stage names the version', async () => {
  await create(east, 'app/db', '{"pw":"canary-pw"}')
  const id = '00000000-0000-4000-8000-000000000000'
  const errors = expectFailure(
    await generate(configMap({ byId: `<path:app/db#pw#${id}>`, byStage: '<path:app/db#pw#NOPE>' })),
  )
  expect(errors).toHaveLength(2)
  expect(errors[0]).toContain(`SECRET_NOT_FOUND: secret app/db (version id ${id}) not found`)
  expect(errors[1]).toContain('SECRET_NOT_FOUND: secret app/db (stage NOPE) not found')
})

test('a missing key is reported by the engine, not as a missing secret', async () => {
  await create(east, 'app/db', '{"pw":"canary-pw"}')
  const errors = expectFailure(await generate(configMap({ x: '<path:app/db#nokey>' })))
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(/^error: KEY_NOT_FOUND: .*nokey/)
})

test('without a region a name fails clearly while an ARN still resolves; AWS_DEFAULT_REGION also works', async () => {
  const eu = await create(west, 'eu/one', '{"a":"canary-eu"}')
  await create(east, 'app/db', '{"pw":"canary-pw"}')
  const manifest = configMap({ byName: '<path:app/db#pw>', byArn: `<path:${eu.arn}#a>` })
  const errors = expectFailure(await generate(manifest, { AWS_REGION: undefined }))
  expect(errors).toEqual([
    "error: CONFIG_INVALID: secret app/db is a name, not an ARN, so AWS_REGION (or AWS_DEFAULT_REGION) must be set; or use the secret's full ARN at <stdin>#1 ConfigMap/app data.byName (<path:app/db#pw>)",
  ])
  const ok = await generate(manifest, { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'us-east-1' })
  expect(dataOf(ok)).toEqual({ byName: 'canary-pw', byArn: 'canary-eu' })
})

test('credentials from the settings never reach stderr', async () => {
  const secretKey = 'canary-credential-0123456789abcdef'
  const result = await generate(
    configMap({ x: '<path:nothing/here#x>' }),
    {
      AWS_SECRET_ACCESS_KEY: secretKey,
      AWS_SESSION_TOKEN: 'canary-session-token-abcdef',
    },
    ['--verbose'],
  )
  const errors = expectFailure(result)
  expect(errors).toHaveLength(1)
  expect(result.stderr).not.toContain('canary-credential')
})

test('the versions annotation records the VersionId each secret resolved to, and follows a rotation', async () => {
  const first = await create(east, 'rotating/db', '{"password":"canary-rot-v1"}')
  await create(east, 'pinned/db', '{"password":"canary-pinned"}')
  const manifest = configMap({
    password: '<path:rotating/db#password>',
    pinned: '<path:pinned/db#password#AWSCURRENT>',
  })
  const annotation = (result: CliResult): unknown => {
    expect(result.code).toBe(0)
    const doc = parseAllDocuments(result.stdout)[0]?.toJS() as {
      metadata: { annotations?: Record<string, string> }
    }
    return doc.metadata.annotations?.['argocd-secret-plugin.io/secret-versions']
  }
  const before = await generate(manifest)
  // A pinned reference cannot rotate: only the unpinned one is listed.
  expect(annotation(before)).toBe(JSON.stringify({ 'rotating/db': first.versionId }))

  const put = await east.send(
    new PutSecretValueCommand({
      SecretId: 'rotating/db',
      SecretString: '{"password":"canary-rot-v2"}',
    }),
  )
  const after = await generate(manifest)
  expect(dataOf(after)['password']).toBe('canary-rot-v2')
  expect(annotation(after)).toBe(JSON.stringify({ 'rotating/db': put.VersionId }))
  expect(put.VersionId).not.toBe(first.versionId)
})
