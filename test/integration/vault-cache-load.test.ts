// Load on one Vault token cache: many concurrent runs of the built CLI share a
// HOME. Every run succeeds, logins stay at the one that filled the cache, and
// no reader ever sees a torn cache file (writes are rename-into-place).
// NIGHTLY=1 runs 50 at once; CI runs fewer to stay fast on two cores.
import fs from 'node:fs'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

const CONCURRENT = process.env['NIGHTLY'] === '1' ? 50 : 12
const MANIFEST = secretManifest({ password: '<path:secret/data/app#password>' })
let vault: FakeVault

beforeAll(async () => {
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { password: 'canary-load-value' })
  vault.addApprole('role-a', 'canary-secret-a')
})

afterAll(async () => {
  await vault.stop()
})

const approle = (home: string): Record<string, string> => ({
  VAULT_ADDR: vault.address,
  AVP_AUTH_TYPE: 'approle',
  AVP_ROLE_ID: 'role-a',
  AVP_SECRET_ID: 'canary-secret-a',
  AVP_DEADLINE: '45',
  HOME: home,
})

/** Every cached-token file under HOME/.avp, read whole: each must parse as JSON. */
function readCacheFiles(home: string): unknown[] {
  const dir = path.join(home, '.avp')
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('vault-token-'))
    .flatMap((f) => {
      try {
        return [JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown]
      } catch (err) {
        // Gone between readdir and read (replaced by a rename): not torn.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw err
      }
    })
}

test(`${String(CONCURRENT)} concurrent runs on one token cache: all succeed, one login, never a torn file`, async () => {
  const home = testdir()
  vault.resetRequests()
  const first = await runVault(MANIFEST, approle(home))
  expect(first.code).toBe(0)
  expect(vault.logins()).toHaveLength(1)

  let reads = 0
  const poller = setInterval(() => {
    reads += readCacheFiles(home).length
  }, 5)
  const started = Date.now()
  const runs = await Promise.all(
    Array.from({ length: CONCURRENT }, () => runVault(MANIFEST, approle(home))),
  )
  clearInterval(poller)
  const elapsed = Date.now() - started

  for (const run of runs) {
    expect(run.stderr).not.toMatch(/^error:/m)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('canary-load-value')
  }
  expect(vault.logins()).toHaveLength(1)
  expect(readCacheFiles(home)).toHaveLength(1)
  expect(reads).toBeGreaterThan(0)
  process.stdout.write(`${String(CONCURRENT)} concurrent runs: ${String(elapsed)} ms, 1 login\n`)
}, 120_000)
