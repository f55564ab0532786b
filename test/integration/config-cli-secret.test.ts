// `generate -s` through the built CLI: the whole backend configuration
// (AVP_TYPE=file and AVP_FILE_PATH) comes from a Kubernetes Secret served by
// the loopback fake API, as in a sidecar with `-s avp-config`.
import fs from 'node:fs'
import path from 'node:path'
import { generateTestPki, startFakeKubeApi } from '../support/fake-kube-api'
import type { FakeKubeApi } from '../support/fake-kube-api'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const TOKEN = 'canary-cli-sa-token-0b7d'
const PASSWORD = 'canary-db-password-61aa'
const MANIFEST = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db',
  'stringData:',
  '  password: <path:secret/data/db#password>',
  '',
].join('\n')

let root: string
let api: FakeKubeApi

function env() {
  return baseEnv({
    KUBERNETES_SERVICE_HOST: api.host,
    KUBERNETES_SERVICE_PORT: String(api.port),
    AVP_SERVICE_ACCOUNT_DIR: path.join(root, 'sa'),
  })
}

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build`)
  root = testdir({
    'sa/token': TOKEN,
    'sa/namespace': 'argocd',
    'secrets.yaml': `secret/data/db:\n  password: ${PASSWORD}\n`,
  })
  const pki = generateTestPki(path.join(root, 'pki'), 'cluster')
  fs.writeFileSync(path.join(root, 'sa/ca.crt'), pki.caCert)
  api = await startFakeKubeApi(pki, TOKEN)
  api.setSecret('argocd', 'avp-config', {
    AVP_TYPE: 'file',
    AVP_FILE_PATH: path.join(root, 'secrets.yaml'),
  })
}, 30_000)

afterAll(async () => {
  await api.close()
})

test('generate -s NAME takes AVP_TYPE and AVP_FILE_PATH from the Secret', async () => {
  const result = await runCli(['generate', '-s', 'avp-config', '-'], {
    env: env(),
    stdin: MANIFEST,
  })
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' })
  expect(result.stdout).toContain(`password: ${PASSWORD}`)
  expect(api.requests.map((r) => [r.path, r.authorization])).toContainEqual([
    '/api/v1/namespaces/argocd/secrets/avp-config',
    `Bearer ${TOKEN}`,
  ])
})

test('a missing Secret fails closed with exit 2, naming it and never the token', async () => {
  const result = await runCli(['generate', '--secret-name', 'argocd:nope', '-'], {
    env: env(),
    stdin: MANIFEST,
  })
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toContain('--secret-name: secret argocd/nope not found')
  expect(result.stderr).not.toContain(TOKEN)
})
