// Rotation end to end with the built CLI: `generate` renders an app against
// the Vault test server, its output becomes the live objects of an
// Application in the loopback Kubernetes API, the secret is rotated in Vault,
// `refresh` hard-refreshes the Application, and a second `generate` emits the
// new value and the new recorded version. Once those are live, the next
// `refresh` leaves the app alone.
import fs from 'node:fs'
import { parseAllDocuments } from 'yaml'
import { startInClusterFake, type FakeKubeApi } from '../support/fake-kube-api'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const TOKEN = 'canary-sa-token-e2e-90ab'
const VERSIONS = 'argocd-secret-plugin.io/secret-versions'
const APP_NS = 'shop'

const APP = `apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    avp.kubernetes.io/path: secret/data/shop-db
stringData:
  password: <password>
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          env:
            - name: DB_USER
              value: <path:secret/data/shop-db#user>
`

interface Doc {
  readonly apiVersion: string
  readonly kind: 'Secret' | 'Deployment'
  readonly metadata: { name: string; namespace?: string; annotations?: Record<string, string> }
  readonly stringData?: Record<string, string>
}

let api: FakeKubeApi
let vault: FakeVault
let env: Record<string, string>

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  const root = testdir()
  const kube = await startInClusterFake(root, TOKEN)
  api = kube.api
  vault = await startFakeVault()
  env = baseEnv({
    HOME: root,
    AVP_TYPE: 'vault',
    AVP_AUTH_TYPE: 'token',
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    ...kube.env,
  })
}, 30_000)

afterAll(async () => {
  await api.close()
  await vault.stop()
})

async function generate(): Promise<Doc[]> {
  const result = await runCli(['generate', '-'], { stdin: APP, env })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return parseAllDocuments(result.stdout).map((d) => d.toJS() as Doc)
}

function livePath(doc: Doc): string {
  return doc.kind === 'Secret'
    ? `/api/v1/namespaces/${APP_NS}/secrets/${doc.metadata.name}`
    : `/apis/apps/v1/namespaces/${APP_NS}/deployments/${doc.metadata.name}`
}

/** What a sync does: the generated objects become the live ones, in the app's namespace. */
function sync(docs: readonly Doc[]): void {
  for (const doc of docs) {
    api.setObject(livePath(doc), { ...doc, metadata: { ...doc.metadata, namespace: APP_NS } })
  }
}

function annotations(): Record<string, string> {
  const metadata = api.application('argocd', 'shop')?.['metadata'] as {
    annotations?: Record<string, string>
  }
  return metadata.annotations ?? {}
}

test('render, rotate in Vault, refresh: the app is hard-refreshed and regenerates the new value and version', async () => {
  vault.putKv('secret', 'shop-db', { password: 'canary-pw-v1', user: 'shop' })
  const first = await generate()
  expect(first.map((d) => d.metadata.annotations?.[VERSIONS])).toEqual([
    '{"secret/data/shop-db":"1"}',
    '{"secret/data/shop-db":"1"}',
  ])
  sync(first)
  api.setApplication('argocd', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: {
      source: { repoURL: 'https://git.example/shop.git', plugin: { name: 'argocd-secret-plugin' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: APP_NS },
    },
    status: {
      resources: first.map((d) => ({
        group: d.kind === 'Secret' ? '' : 'apps',
        version: 'v1',
        kind: d.kind,
        namespace: APP_NS,
        name: d.metadata.name,
      })),
    },
  })

  const unchanged = await runCli(['refresh'], { env })
  expect(unchanged.code).toBe(0)
  expect(api.patches).toEqual([])

  vault.putKv('secret', 'shop-db', { password: 'canary-pw-v2', user: 'shop' })
  const refreshed = await runCli(['refresh'], { env })
  expect(refreshed.stderr).toBe('')
  expect(refreshed.code).toBe(0)
  expect(refreshed.stdout.split('\n')[0]).toBe(
    'refreshed shop: secret/data/shop-db moved from version 1 to 2',
  )
  expect(annotations()['argocd.argoproj.io/refresh']).toBe('hard')
  expect(`${refreshed.stdout}${refreshed.stderr}`).not.toMatch(/canary-pw|canary-sa-token/)

  // What Argo CD's hard refresh runs: the plugin again, with the rotated secret.
  const second = await generate()
  const secret = second.find((d) => d.kind === 'Secret')
  expect(secret?.stringData?.['password']).toBe('canary-pw-v2')
  expect(second.map((d) => d.metadata.annotations?.[VERSIONS])).toEqual([
    '{"secret/data/shop-db":"2"}',
    '{"secret/data/shop-db":"2"}',
  ])

  // Synced: the live objects carry version 2 and nothing is refreshed again.
  sync(second)
  api.reset()
  const after = await runCli(['refresh'], { env })
  expect(after.code).toBe(0)
  expect(after.stdout).toBe(
    '1 application(s) use argocd-secret-plugin, 2 object(s) read, 1 secret(s) checked, 0 refreshed\n',
  )
  expect(api.patches).toEqual([])
})
