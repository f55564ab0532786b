// The benchmark's large app (W2 of docs/performance.md) through the built CLI
// and the Vault test server, once: each distinct path is read exactly once,
// with one login and one mount lookup, and a successful run prints nothing
// on stderr. The timings themselves are `npm run bench`, not a test.
import fs from 'node:fs'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { secretData, secretPath, WORKLOADS, writeWorkload } from '../support/bench-workloads'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const W2 = WORKLOADS.find((w) => w.name.startsWith('W2'))

let vault: FakeVault

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  vault = await startFakeVault()
})

afterAll(async () => {
  await vault.stop()
})

test('W2: one read per distinct path, one login, one mount lookup, a silent stderr', async () => {
  if (W2 === undefined) throw new Error('no W2 workload')
  for (let n = 0; n < W2.paths; n++) vault.putKv('secret', secretPath(n), secretData(n))
  vault.addApprole('bench-role', 'bench-secret', { policies: ['reader'] })
  const app = testdir()
  writeWorkload(W2, app)
  vault.resetRequests()

  const result = await runCli(['generate', '--disable-token-cache', app], {
    env: baseEnv({
      AVP_TYPE: 'vault',
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'approle',
      AVP_ROLE_ID: 'bench-role',
      AVP_SECRET_ID: 'bench-secret',
    }),
  })

  expect(result.code).toBe(0)
  expect(result.stdout.split('\n---\n')).toHaveLength(W2.resources)
  expect(result.stdout).toContain('VAR_0: value-0-0')
  const paths = vault.requests.map((r) => `${r.method} ${r.path}`)
  const reads = paths.filter((p) => p.startsWith('GET secret/data/'))
  expect(reads).toHaveLength(W2.paths)
  expect(new Set(reads).size).toBe(W2.paths)
  expect(paths.filter((p) => p.startsWith('POST auth/'))).toEqual(['POST auth/approle/login'])
  expect(paths.filter((p) => p.includes('sys/internal/ui/mounts/'))).toHaveLength(1)
  expect(paths).toHaveLength(W2.paths + 2)
  expect(result.stderr).toBe('')
}, 60_000)
