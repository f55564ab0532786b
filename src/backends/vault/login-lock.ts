import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { DebugLog } from '../../log'
import { isRunning } from '../../pid'
import { pause } from '../retry'
import { fsCode } from './fs-code'

/**
 * A lock older than this is taken over whoever holds it: a login that has not
 * written the cache by then is stuck, and a second login costs only a token.
 */
const STALE_MS = 15_000
/** A waiter stops waiting after this and logs in itself: the holder's login may be failing slowly. */
const MAX_WAIT_MS = 10_000
const POLL_MIN_MS = 15
const POLL_MAX_MS = 40

/** What the lock file says: who holds it, for a waiter to judge whether it is stale. */
interface Holder {
  readonly pid: number
  readonly host: string
  /** Epoch ms when the lock was taken. */
  readonly at: number
}

export interface HeldLock {
  release(): Promise<void>
}

/**
 * One login at a time per cache entry across every process sharing the cache
 * directory (concurrent cold runs of a sidecar), so they share one login: the
 * holder logs in and writes the cache; every run, once it holds the lock,
 * reads the cache again before it logs in. The lock is a file created exclusively next to the cache
 * entry, naming its holder's pid and host. It is taken over at once when that
 * pid is gone on this host (a SIGKILLed run), and after `STALE_MS` in any
 * case. Waiting ends with the run's signal (its deadline) or after
 * `MAX_WAIT_MS`; then the run goes on without the lock. Only a performance
 * matter: two runs racing on a takeover may both log in, which is harmless,
 * and every failure here is a debug note, never an error.
 */
export async function lockLogin(
  dir: string,
  cacheFile: string,
  signal: AbortSignal,
  log: DebugLog,
): Promise<HeldLock> {
  const file = path.join(dir, lockName(cacheFile))
  const started = Date.now()
  let waited = false
  const unlocked: HeldLock = { release: () => Promise.resolve() }
  for (;;) {
    const created = await tryCreate(file)
    if (created.taken) {
      if (waited) log({ kind: 'token-cache', action: 'lock', reason: 'waited for another login' })
      return { release: () => fs.rm(file, { force: true }).catch(() => undefined) }
    }
    if (created.code !== 'EEXIST') {
      log({ kind: 'token-cache', action: 'lock-skipped', reason: created.code })
      return unlocked
    }
    const holder = await readHolder(file)
    if (holder === 'gone') continue
    if (isStale(holder)) {
      log({ kind: 'token-cache', action: 'lock', reason: 'taking over a stale lock' })
      await fs.rm(file, { force: true }).catch(() => undefined)
      continue
    }
    if (signal.aborted || Date.now() - started > MAX_WAIT_MS) {
      log({ kind: 'token-cache', action: 'lock-skipped', reason: 'waited too long' })
      return unlocked
    }
    waited = true
    // An abort ends the wait early; the loop then sees the aborted signal.
    await pause(POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS), signal)
  }
}

/** `vault-token-<mac>.json` → `login-<mac>.lock`: a name no cache reader mistakes for an entry. */
function lockName(cacheFile: string): string {
  return `${cacheFile.replace(/^vault-token-/, 'login-').replace(/\.json$/, '')}.lock`
}

/**
 * Creates the lock with its holder already written: the body goes to a
 * private temp file first, which is then linked to the lock name (link fails
 * when the name exists), so no waiter ever reads a lock without a holder.
 */
async function tryCreate(
  file: string,
): Promise<{ readonly taken: true } | { readonly taken: false; readonly code: string }> {
  const temp = `${file}.${String(process.pid)}.${randomBytes(6).toString('hex')}.tmp`
  const holder: Holder = { pid: process.pid, host: os.hostname(), at: Date.now() }
  try {
    await fs.writeFile(temp, JSON.stringify(holder), { mode: 0o600, flag: 'wx' })
    await fs.link(temp, file)
    return { taken: true }
  } catch (err) {
    return { taken: false, code: fsCode(err) }
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined)
  }
}

/** The lock's holder; `gone` when it was released meanwhile; an unreadable body counts as stale. */
async function readHolder(file: string): Promise<Holder | 'gone' | undefined> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    return fsCode(err) === 'ENOENT' ? 'gone' : undefined
  }
  try {
    const value = JSON.parse(text) as Partial<Holder>
    const { pid, host, at } = value
    if (typeof pid === 'number' && typeof host === 'string' && typeof at === 'number') {
      return { pid, host, at }
    }
  } catch {
    // JSON.parse's message quotes the input: never used.
  }
  return undefined
}

function isStale(holder: Holder | undefined): boolean {
  if (holder === undefined) return true
  if (Date.now() - holder.at > STALE_MS) return true
  // A pid is only meaningful on the host that wrote it (a shared volume may span pods).
  return holder.host === os.hostname() && !isRunning(holder.pid)
}
