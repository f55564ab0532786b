// The built CLI against a loopback Azure Key Vault and Entra ID token
// endpoint that answer as the real services do on the wire: secret names as
// keys, versions, one GET per distinct (vault, secret, version), each failure
// class with its code, and no value, token, credential or server message on
// stderr, even with --verbose. Nothing leaves the machine: a preload refuses
// non-loopback hosts, and the authority's instance discovery is off.
import fs from 'node:fs'
import { parseAllDocuments } from 'yaml'
import {
  AZURE_MESSAGE_CANARY,
  azureEnv,
  startFakeAzureKeyVault,
  type AzureAuth,
  type FakeAzureKeyVault,
} from '../support/fake-azure-key-vault'
import { configMap, dataOf, failureLines } from '../support/backend-run'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { isLoopback, watchProcess } from '../support/watch'

let fake: FakeAzureKeyVault
let dir: string

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  fake = await startFakeAzureKeyVault()
  dir = testdir()
})

afterAll(async () => {
  await fake.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const VAULT = 'my-vault'
const OTHER = 'other-vault'
let oldDbVersion = ''

beforeEach(() => {
  fake.reset()
  oldDbVersion = fake.addSecret(VAULT, 'db-password', 'canary-old-pw')
  fake.addSecret(VAULT, 'db-password', 'canary-db-pw')
  fake.addSecret(VAULT, 'api-token', 'canary-api-token')
  fake.addSecret(OTHER, 'db-password', 'canary-other-pw')
})

async function generate(
  input: string,
  env: Record<string, string | undefined> = {},
  auth: AzureAuth = 'workload-identity',
) {
  const started = Date.now()
  const watch = watchProcess()
  const result = await runCli(['generate', '-', '--verbose'], {
    stdin: input,
    env: baseEnv({ ...azureEnv(fake, dir, auth, env), ...watch.env }),
  })
  const hosts = watch.read().hosts
  expect(hosts.filter((h) => !isLoopback(h))).toEqual([])
  expect(result.stderr).not.toMatch(/canary-/)
  expect(result.stderr).not.toContain(fake.accessToken)
  expect(result.stderr).not.toContain(fake.clientSecret)
  expect(result.stderr).not.toContain(fake.federatedToken)
  expect(result.stderr).not.toContain(AZURE_MESSAGE_CANARY)
  return { ...result, ms: Date.now() - started }
}

const at = (field: string, placeholder: string): string =>
  `at <stdin>#1 ConfigMap/app data.${field} (${placeholder})`

test('reads secrets by name, generic and inline, with versions, one GET per distinct (vault, secret, version)', async () => {
  const input =
    configMap({
      pw: `<path:${VAULT}#db-password>`,
      again: `<path:${VAULT}#db-password>`,
      old: `<path:${VAULT}#db-password#${oldDbVersion}>`,
      token: `<path:${VAULT}#api-token>`,
      other: `<path:${OTHER}#db-password>`,
    }) +
    '---\n' +
    configMap({ generic: '<db-password>', token: '<api-token>' }, 'generic', {
      'avp.kubernetes.io/path': VAULT,
    })
  const result = await generate(input)
  expect(dataOf(result)).toEqual({
    pw: 'canary-db-pw',
    again: 'canary-db-pw',
    old: 'canary-old-pw',
    token: 'canary-api-token',
    other: 'canary-other-pw',
  })
  // Each object records the version of every secret it used, by vault and secret name.
  const first = parseAllDocuments(result.stdout)[0]?.toJS() as {
    metadata: { annotations: Record<string, string> }
  }
  const versions = JSON.parse(
    first.metadata.annotations['argocd-secret-plugin.io/secret-versions'] ?? '{}',
  ) as Record<string, string>
  expect(Object.keys(versions)).toEqual([
    `${VAULT}#api-token`,
    `${VAULT}#db-password`,
    `${OTHER}#db-password`,
  ])
  expect(versions[`${VAULT}#db-password`]).toMatch(/^[0-9a-f]{32}$/)
  expect(versions[`${VAULT}#db-password`]).not.toBe(oldDbVersion)
  const generic = parseAllDocuments(result.stdout)[1]?.toJS() as { data: unknown }
  expect(generic.data).toEqual({ generic: 'canary-db-pw', token: 'canary-api-token' })
  expect(Object.fromEntries(fake.getCalls())).toEqual({
    [`${VAULT}/db-password/`]: 1,
    [`${VAULT}/db-password/${oldDbVersion}`]: 1,
    [`${VAULT}/api-token/`]: 1,
    [`${OTHER}/db-password/`]: 1,
  })
  // One challenge per vault: each vault's first read goes alone.
  expect(fake.challenges()).toBe(2)
  expect(fake.tokenCalls()).toBe(1)
  process.stdout.write(
    `azurekeyvault: 4 distinct reads in 2 vaults, one run: ${String(result.ms)} ms\n`,
  )
})

test('a secret missing from the vault is a missing key; remove-missing drops it, as for every backend', async () => {
  const result = await generate(
    configMap({
      a: `<path:${VAULT}#nope>`,
      b: `<path:${VAULT}#db-password#00000000000000000000000000000000>`,
      c: `<path:${VAULT}#not_a_secret_name>`,
    }),
  )
  expect(failureLines(result)).toEqual([
    `error: KEY_NOT_FOUND: key "nope" not found in ${VAULT} ${at('a', `<path:${VAULT}#nope>`)}`,
    `error: KEY_NOT_FOUND: key "db-password" not found in ${VAULT} (version 00000000000000000000000000000000) ${at('b', `<path:${VAULT}#db-password#00000000000000000000000000000000>`)}`,
    `error: KEY_NOT_FOUND: key "not_a_secret_name" not found in ${VAULT} ${at('c', `<path:${VAULT}#not_a_secret_name>`)}`,
  ])
  // A name Key Vault cannot hold is never asked for.
  expect([...fake.getCalls().keys()].sort()).toEqual([
    `${VAULT}/db-password/00000000000000000000000000000000`,
    `${VAULT}/nope/`,
  ])

  const removed = await generate(
    configMap({ kept: '<db-password>', gone: '<nope>' }, 'app', {
      'avp.kubernetes.io/path': VAULT,
      'avp.kubernetes.io/remove-missing': 'true',
    }).replace('kind: ConfigMap', 'kind: Secret'),
  )
  expect(removed.code).toBe(0)
  expect((parseAllDocuments(removed.stdout)[0]?.toJS() as { data: unknown }).data).toEqual({
    kept: 'canary-db-pw',
  })
})

test('a path that is not a vault name is CONFIG_INVALID and makes no call', async () => {
  const result = await generate(configMap({ a: '<path:secret/data/app#password>' }))
  expect(failureLines(result)).toEqual([
    `error: CONFIG_INVALID: path "secret/data/app" is not an Azure Key Vault name (3-24 letters, digits and hyphens, starting with a letter): the path is the vault name and the key the secret name, <path:my-vault#my-secret> ${at('a', '<path:secret/data/app#password>')}`,
  ])
  expect(fake.totalGets() + fake.challenges()).toBe(0)
})

test('a disabled secret is VERSION_DELETED and says so', async () => {
  fake.addSecret(VAULT, 'api-token', 'canary-disabled', { enabled: false })
  const result = await generate(configMap({ a: `<path:${VAULT}#api-token>` }))
  expect(failureLines(result)).toEqual([
    `error: VERSION_DELETED: secret api-token in key vault ${VAULT} is disabled: enable it in the vault, or name an enabled version after the key (#key#<version>) (Forbidden, HTTP 403) ${at('a', `<path:${VAULT}#api-token>`)}`,
  ])
  expect(fake.totalGets()).toBe(1)
})

test('permission denied names what the identity needs and is not retried', async () => {
  fake.fault({ kind: 'Forbidden', secret: 'db-password' })
  const result = await generate(configMap({ a: `<path:${VAULT}#db-password>` }))
  expect(failureLines(result)).toEqual([
    `error: ACCESS_DENIED: permission denied for secret db-password in key vault ${VAULT}: the identity needs the "Key Vault Secrets User" role or a "get" secret permission in the vault's access policy, and the vault's firewall must let the plugin in (Forbidden, HTTP 403) ${at('a', `<path:${VAULT}#db-password>`)}`,
  ])
  expect(fake.totalGets()).toBe(1)
})

test('throttling twice is retried and succeeds; throttling or 503 for good fails after 3 attempts', async () => {
  fake.fault({ kind: 'Throttled', secret: 'db-password', times: 2 })
  const ok = await generate(configMap({ a: `<path:${VAULT}#db-password>` }))
  expect(dataOf(ok)).toEqual({ a: 'canary-db-pw' })
  expect(fake.totalGets()).toBe(3)
  expect(ok.stderr).toMatch(
    /debug: retry what="get secret db-password in key vault my-vault" attempt=1 delayMs=0 reason="Throttled"/,
  )

  fake.reset()
  fake.addSecret(VAULT, 'db-password', 'canary-db-pw')
  fake.addSecret(VAULT, 'api-token', 'canary-api-token')
  fake.fault({ kind: 'Throttled', secret: 'db-password' })
  fake.fault({ kind: 'ServiceUnavailable', secret: 'api-token' })
  const lines = failureLines(
    await generate(configMap({ a: `<path:${VAULT}#db-password>`, b: `<path:${VAULT}#api-token>` })),
  )
  expect(lines).toEqual([
    `error: THROTTLED: Key Vault throttled the requests for secret db-password in key vault ${VAULT} until the retries ran out (Throttled, HTTP 429, 3 attempts) ${at('a', `<path:${VAULT}#db-password>`)}`,
    `error: UNAVAILABLE: Key Vault failed while reading secret api-token in key vault ${VAULT} (ServiceUnavailable, HTTP 503, 3 attempts) ${at('b', `<path:${VAULT}#api-token>`)}`,
  ])
  expect(Object.fromEntries(fake.getCalls())).toEqual({
    [`${VAULT}/db-password/`]: 3,
    [`${VAULT}/api-token/`]: 3,
  })
})

test('a server slower than AVP_DEADLINE gives TIMEOUT promptly', async () => {
  fake.fault({ kind: 'slow', delayMs: 30_000 })
  const result = await generate(configMap({ a: `<path:${VAULT}#db-password>` }), {
    AVP_DEADLINE: '1',
  })
  expect(failureLines(result)).toEqual([
    `error: TIMEOUT: Key Vault did not answer within the 1 s deadline (AVP_DEADLINE) while reading secret db-password in key vault ${VAULT} ${at('a', `<path:${VAULT}#db-password>`)}`,
  ])
  expect(result.ms).toBeLessThan(4_000)
})

test('a client secret works too; a refused credential is AUTH_FAILED without the secret or the server text', async () => {
  expect(
    dataOf(await generate(configMap({ a: `<path:${VAULT}#db-password>` }), {}, 'client-secret')),
  ).toEqual({ a: 'canary-db-pw' })

  const challengesBefore = fake.challenges()
  const refused = await generate(
    configMap({ a: `<path:${VAULT}#db-password>`, b: `<path:${VAULT}#api-token>` }),
    { AZURE_CLIENT_SECRET: 'canary-wrong-client-secret' },
    'client-secret',
  )
  expect(failureLines(refused)).toEqual([
    `error: AUTH_FAILED: Microsoft Entra ID did not give a token for reading secret db-password in key vault ${VAULT}; check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential (invalid_client) ${at('a', `<path:${VAULT}#db-password>`)}`,
    `error: AUTH_FAILED: Microsoft Entra ID did not give a token for reading secret api-token in key vault ${VAULT}; check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential (invalid_client) ${at('b', `<path:${VAULT}#api-token>`)}`,
  ])
  // The vault's other secret reuses the first read's failure.
  expect(fake.challenges() - challengesBefore).toBe(1)
})

test("an Application's AZURE_* settings and vault URL are refused, even when the operator allows every key", async () => {
  for (const key of ['AZURE_CLIENT_ID', 'AZURE_AUTHORITY_HOST', 'AVP_AZURE_VAULT_URL_TEMPLATE']) {
    const result = await generate(configMap({ a: `<path:${VAULT}#db-password>` }), {
      AVP_APP_ENV_ALLOWLIST: '*',
      [`ARGOCD_ENV_${key}`]: 'https://127.0.0.1:1/{vault}',
    })
    expect(result.stdout).toBe('')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `${key}: an Application cannot set it (ARGOCD_ENV_${key}); set it in the sidecar's environment or the plugin's configuration`,
    )
  }
  expect(fake.totalGets() + fake.challenges()).toBe(0)
})
