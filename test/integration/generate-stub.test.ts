// `generate --stub` through the built CLI: no backend is configured or asked,
// and each placeholder becomes a deterministic dummy of the type its field needs.
import fs from 'node:fs'
import { parseAllDocuments } from 'yaml'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const APP = `apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    avp.kubernetes.io/path: secret/data/app
data:
  password: <password>
stringData:
  url: postgres://<user>:<password>@db:5432/app
  digest: <password | sha256sum>
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: <path:secret/data/app#replicas>
  template:
    spec:
      automountServiceAccountToken: <path:secret/data/app#automount>
      containers:
        - name: web
          image: <path:secret/data/app#image>
          ports:
            - containerPort: <path:secret/data/app#port | jsonParse>
`

interface Rendered {
  readonly data: { password: string }
  readonly stringData: { url: string; digest: string }
  readonly spec: {
    replicas: unknown
    template: {
      spec: {
        automountServiceAccountToken: unknown
        containers: { image: unknown; ports: { containerPort: unknown }[] }[]
      }
    }
  }
}

let vault: FakeVault

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error('dist/cli.cjs is missing: run npm run build')
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { password: 'canary-real-password' })
})

afterAll(async () => {
  await vault.stop()
})

async function stub(env: Record<string, string>): Promise<string> {
  const dir = testdir({ 'app.yaml': APP })
  const result = await runCli(['generate', '--stub', '--render', 'plain', dir], {
    env: baseEnv({ HOME: testdir(), ...env }),
  })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result.stdout
}

test('--stub asks no backend, even with Vault configured, and needs no AVP_TYPE', async () => {
  vault.resetRequests()
  const withVault = await stub({
    AVP_TYPE: 'vault',
    AVP_AUTH_TYPE: 'token',
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
  })
  expect(vault.requests).toHaveLength(0)
  expect(withVault).not.toContain('canary-real-password')
  // Without any backend setting, the same output: deterministic, and no AVP_TYPE needed.
  expect(await stub({})).toBe(withVault)
})

test('every dummy has the type its field needs and is derived from the reference', async () => {
  const docs = parseAllDocuments(await stub({})).map((d) => d.toJS() as Rendered)
  const [secret, deployment] = docs
  if (secret === undefined || deployment === undefined) throw new Error('two documents expected')
  // Secret data: valid base64 (round-trips), the same dummy as the same ref in stringData.
  const decoded = Buffer.from(secret.data.password, 'base64').toString('utf8')
  expect(Buffer.from(decoded).toString('base64')).toBe(secret.data.password)
  expect(decoded).toMatch(/^stub-[0-9a-f]{12}$/)
  expect(secret.stringData.url).toMatch(
    /^postgres:\/\/stub-[0-9a-f]{12}:stub-[0-9a-f]{12}@db:5432\/app$/,
  )
  expect(secret.stringData.url).toContain(`:${decoded}@`)
  expect(secret.stringData.digest).toMatch(/^[0-9a-f]{64}$/)
  const pod = deployment.spec.template.spec
  expect(typeof deployment.spec.replicas).toBe('number')
  expect(typeof pod.automountServiceAccountToken).toBe('boolean')
  expect(typeof pod.containers[0]?.ports[0]?.containerPort).toBe('number')
  expect(pod.containers[0]?.image).toMatch(/^stub-[0-9a-f]{12}$/)
})
