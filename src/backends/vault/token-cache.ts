import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { DebugLog } from '../../log'
import { fsCode } from './fs-code'

/** A Vault token kept between runs. `expiresAt` is epoch ms, or `null` for a token without TTL. */
export interface CachedToken {
  readonly token: string
  readonly expiresAt: number | null
  readonly ttlSeconds: number
  readonly renewable: boolean
}

/** A token is not reused when less than 60 s or 10 % of its TTL is left: the run must not outlive it. */
const MIN_LEFT_MS = 60_000
const MIN_LEFT_FRACTION = 0.1

/**
 * Tokens on disk, one file per login (token-cache-key.ts), in a 0700 directory with
 * 0600 files. Writes go to a temporary file renamed into place, so a
 * concurrent run reads either the old or the new token, never half of one.
 * Every failure is a debug note and a cache miss, never an error: an
 * unwritable home (OpenShift's random UID) just means no cache.
 */
export class TokenCache {
  constructor(
    readonly dir: string,
    private readonly log: DebugLog,
    private readonly now: () => number = Date.now,
  ) {}

  async read(file: string): Promise<CachedToken | undefined> {
    const full = path.join(this.dir, file)
    try {
      const stat = await fs.lstat(full)
      // Another user's or a world-readable file is not trusted with a token.
      if (!stat.isFile() || (stat.mode & 0o077) !== 0) {
        this.#miss('insecure-file')
        return
      }
      const entry = parseEntry(await fs.readFile(full, 'utf8'))
      if (entry === undefined) {
        this.#miss('unreadable-entry')
        return
      }
      if (!this.#fresh(entry)) {
        this.#miss('expiring')
        return
      }
      this.log({ kind: 'token-cache', action: 'hit' })
      return entry
    } catch (err) {
      this.#miss(fsCode(err))
      return
    }
  }

  async write(file: string, entry: CachedToken): Promise<void> {
    const full = path.join(this.dir, file)
    const temp = `${full}.${String(process.pid)}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 })
      const body = JSON.stringify({
        version: 1,
        token: entry.token,
        expiresAt: entry.expiresAt === null ? null : new Date(entry.expiresAt).toISOString(),
        ttlSeconds: entry.ttlSeconds,
        renewable: entry.renewable,
      })
      await fs.writeFile(temp, body, { mode: 0o600, flag: 'wx' })
      await fs.rename(temp, full)
      this.log({ kind: 'token-cache', action: 'write' })
    } catch (err) {
      await fs.rm(temp, { force: true }).catch(() => undefined)
      this.log({ kind: 'token-cache', action: 'write-skipped', reason: fsCode(err) })
    }
  }

  async remove(file: string): Promise<void> {
    await fs.rm(path.join(this.dir, file), { force: true }).catch(() => undefined)
    this.log({ kind: 'token-cache', action: 'remove', reason: 'token rejected by Vault' })
  }

  #fresh(entry: CachedToken): boolean {
    if (entry.expiresAt === null) return true
    const margin = Math.max(MIN_LEFT_MS, entry.ttlSeconds * 1000 * MIN_LEFT_FRACTION)
    return entry.expiresAt - this.now() > margin
  }

  #miss(reason: string): undefined {
    this.log({ kind: 'token-cache', action: 'miss', reason })
    return undefined
  }
}

/** Parses a cache file; anything unexpected is a miss. JSON.parse's message (which quotes the input) is never used. */
function parseEntry(text: string): CachedToken | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const expiresAt =
    v['expiresAt'] === null
      ? null
      : typeof v['expiresAt'] === 'string'
        ? Date.parse(v['expiresAt'])
        : NaN
  if (
    v['version'] !== 1 ||
    typeof v['token'] !== 'string' ||
    v['token'] === '' ||
    Number.isNaN(expiresAt) ||
    typeof v['ttlSeconds'] !== 'number' ||
    typeof v['renewable'] !== 'boolean'
  ) {
    return undefined
  }
  return { token: v['token'], expiresAt, ttlSeconds: v['ttlSeconds'], renewable: v['renewable'] }
}
