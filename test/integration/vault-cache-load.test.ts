// Load on one Vault token cache: many concurrent runs of the built CLI share a
// HOME. Every run succeeds, warm or cold there is one login in all (cold runs
// wait on the login lock next to the cache, then read the token the first one
// cached), and no reader ever sees a torn cache file (writes are
// rename-into-place). A lock whose holder was SIGKILLed is taken over at once.
// NIGHTLY=1 runs 50 at once; CI runs fewer to stay fast on two cores.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { runVault, secretManifest } from '../support/fake-vault/cli'
import { CLI_PATH, baseEnv } from '../support/run-cli'
import { testdir } from '../support/testdir'

const CONCURRENT = process.env['NIGHTLY'] === '1' ? 50 : 14
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
  return (
    fs
      .readdirSync(dir)
      // Entries only: a write's temp file (`<entry>.<pid>.<random>.tmp`) is not read by any run.
      .filter((f) => /^vault-token-[0-9a-f]+\.json$/.test(f))
      .flatMap((f) => {
        try {
          return [JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown]
        } catch (err) {
          // Gone between readdir and read (replaced by a rename): not torn.
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
          throw err
        }
      })
  )
}

/**
 * `CONCURRENT` runs at once on `home`'s cache while a poller reads every cache
 * file: all succeed, one login in all, and no read ever saw a torn file.
 */
async function concurrentRuns(home: string, label: string): Promise<void> {
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
  process.stdout.write(
    `${String(CONCURRENT)} ${label} concurrent runs: ${String(elapsed)} ms, 1 login\n`,
  )
}

test(`${String(CONCURRENT)} concurrent runs on one token cache: all succeed, one login, never a torn file`, async () => {
  const home = testdir()
  vault.resetRequests()
  const first = await runVault(MANIFEST, approle(home))
  expect(first.code).toBe(0)
  expect(vault.logins()).toHaveLength(1)

  await concurrentRuns(home, 'warm')
}, 120_000)

test(`${String(CONCURRENT)} concurrent cold runs on one empty token cache: all succeed, one login, never a torn file`, async () => {
  const home = testdir()
  vault.resetRequests()
  await concurrentRuns(home, 'cold')
  // The lock is gone once every run is done.
  expect(fs.readdirSync(path.join(home, '.avp')).filter((f) => f.endsWith('.lock'))).toEqual([])
}, 120_000)

test('a run whose login lock holder was SIGKILLed takes the lock over and succeeds at once', async () => {
  const home = testdir()
  const dir = testdir({ 'manifest.yaml': MANIFEST })
  vault.resetRequests()
  // The first run hangs in its login, holding the lock, until it is killed.
  vault.fault({ kind: 'latency', path: 'auth/approle/login', ms: 30_000, times: 1 })
  const holder = spawn(process.execPath, [CLI_PATH, 'generate', dir], {
    env: baseEnv({ AVP_TYPE: 'vault', ...approle(home) }),
    stdio: 'ignore',
    detached: true,
  })
  const closed = new Promise<void>((resolve) =>
    holder.on('close', () => {
      resolve()
    }),
  )
  const cacheDir = path.join(home, '.avp')
  const locks = (): string[] =>
    fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.endsWith('.lock')) : []
  const end = Date.now() + 15_000
  // Killed once its login is at the server (and has used the slow answer up).
  while (vault.logins().length === 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20))
  }
  expect(locks()).toHaveLength(1)
  holder.kill('SIGKILL')
  process.kill(-(holder.pid ?? 0), 'SIGKILL')
  await closed
  expect(locks()).toHaveLength(1)

  const started = Date.now()
  const run = await runVault(MANIFEST, { ...approle(home), AVP_DEADLINE: '8' })
  const elapsed = Date.now() - started
  expect(run.stderr).not.toMatch(/^error:/m)
  expect(run.code).toBe(0)
  expect(run.stdout).toContain('canary-load-value')
  expect(run.stderr).toContain('taking over a stale lock')
  expect(elapsed).toBeLessThan(4000)
  expect(vault.logins()).toHaveLength(2)
  expect(locks()).toEqual([])
  vault.clearFaults()
}, 60_000)
