// Each backend's SDK is loaded only when that backend is configured: a Vault,
// AWS or file run never loads the GCP, Azure or 1Password clients (nor
// gRPC), which would slow every run's start-up. A preload records the
// modules the built CLI actually loaded: the SDKs are bundled one chunk per
// backend (dist/backends/<name>.cjs), and none may come from node_modules.
import fs from 'node:fs'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager'
import {
  gcpEnv,
  startFakeGcpSecretManager,
  type FakeGcpSecretManager,
} from '../support/fake-gcp-secret-manager'
import {
  azureEnv,
  startFakeAzureKeyVault,
  type FakeAzureKeyVault,
} from '../support/fake-azure-key-vault'
import { awsEnv } from '../support/moto'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { loadedChunks, NEW_SDK_MODULES, watchProcess, type Watched } from '../support/watch'

let vault: FakeVault
let aws: FakeSecretsManager
let gcp: FakeGcpSecretManager
let azure: FakeAzureKeyVault

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  ;[vault, aws, gcp, azure] = await Promise.all([
    startFakeVault(),
    startFakeSecretsManager(),
    startFakeGcpSecretManager(),
    startFakeAzureKeyVault(),
  ])
})

afterAll(async () => {
  await Promise.all([vault.stop(), aws.close(), gcp.close(), azure.close()])
})

const configMap = (value: string): string =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: app',
    'data:',
    `  a: ${value}`,
    '',
  ].join('\n')

async function watchedRun(
  manifest: string,
  env: Record<string, string | undefined>,
): Promise<Watched> {
  const watch = watchProcess()
  const result = await runCli(['generate', '-'], {
    stdin: manifest,
    env: baseEnv({ ...env, ...watch.env }),
  })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return watch.read()
}

const newSdks = (w: Watched): string[] => w.modules.filter((m) => NEW_SDK_MODULES.test(m))

test('a Vault run loads no SDK at all: its port is node:http', async () => {
  vault.putKv('secret', 'app', { pw: 'x' })
  const watched = await watchedRun(configMap('<path:secret/data/app#pw>'), {
    AVP_TYPE: 'vault',
    AVP_AUTH_TYPE: 'token',
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    HOME: testdir(),
  })
  expect(loadedChunks(watched)).toEqual([])
  expect(newSdks(watched)).toEqual([])
})

test('an AWS run loads the AWS SDK and none of the other SDKs', async () => {
  aws.put('app', { string: '{"pw":"x"}' })
  const watched = await watchedRun(configMap('<path:app#pw>'), awsEnv(aws.endpoint))
  expect(loadedChunks(watched)).toEqual(['aws'])
  expect(newSdks(watched)).toEqual([])
})

test('a file run loads no SDK at all', async () => {
  const dir = testdir({ 'secrets.yaml': 'app:\n  pw: x\n' })
  const watched = await watchedRun(configMap('<path:app#pw>'), {
    AVP_TYPE: 'file',
    AVP_FILE_PATH: `${dir}/secrets.yaml`,
  })
  expect(newSdks(watched)).toEqual([])
  expect(loadedChunks(watched)).toEqual([])
})

test('a GCP run does load its client (so the checks above can fail)', async () => {
  gcp.addVersion('projects/p1/secrets/app', '{"pw":"x"}')
  const watched = await watchedRun(configMap('<path:projects/p1/secrets/app#pw>'), gcpEnv(gcp))
  expect(loadedChunks(watched)).toEqual(['gcp'])
})

test('an Azure Key Vault run loads only its own chunk, and nothing from node_modules', async () => {
  azure.addSecret('my-vault', 'pw', 'x')
  const watched = await watchedRun(configMap('<path:my-vault#pw>'), azureEnv(azure, testdir()))
  expect(loadedChunks(watched)).toEqual(['azurekeyvault'])
  expect(newSdks(watched)).toEqual([])
})
