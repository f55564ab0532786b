import { createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fsCode } from './fs-code'

/** The HMAC key of a cache directory: 32 random bytes, hex, in a 0600 file beside the tokens. */
export const KEY_FILE = 'token-cache.key'
const KEY_TEXT = /^[0-9a-f]{64}$/

/**
 * Everything a login depends on. Two logins that differ in any part, the
 * secret half of the credential included, never share a cached token: a
 * run with the right role_id and a wrong secret_id must log in (and fail).
 */
export interface CacheKeyParts {
  readonly address: string
  readonly namespace: string
  readonly method: string
  readonly mount: string
  /**
   * Every login input: the login request's path and body (role_id and
   * secret_id, user name and password, Kubernetes role and JWT, GitHub
   * token, cert role) and, for cert auth, the client certificate's fingerprint.
   */
  readonly inputs: readonly string[]
}

/**
 * The cache file name of a login: HMAC-SHA-256 under the directory's key.
 * A plain hash of a credential would let anyone who can list the directory
 * test guesses offline; the keyed hash cannot be computed without the key
 * file, which only the plugin's user can read.
 */
export function cacheFileName(key: Buffer, parts: CacheKeyParts): string {
  const normalized = [
    'v2',
    parts.address.toLowerCase().replace(/\/+$/, ''),
    parts.namespace.replace(/^\/+|\/+$/g, ''),
    parts.method,
    parts.mount,
    ...parts.inputs,
  ]
  const mac = createHmac('sha256', key).update(JSON.stringify(normalized)).digest('hex')
  return `vault-token-${mac.slice(0, 40)}.json`
}

export type KeyResult =
  { readonly ok: true; readonly key: Buffer } | { readonly ok: false; readonly failure: string }

/**
 * Reads the directory's key, creating it on first use. Creation is atomic:
 * the key is written to a private temporary file and hard-linked into place,
 * which fails if another run got there first; then that run's key is used.
 * A key file that is not a regular file, is readable by others or belongs to
 * another user is not trusted: the cache is then off for the run.
 */
export async function loadCacheKey(dir: string): Promise<KeyResult> {
  const file = path.join(dir, KEY_FILE)
  const existing = await readKey(file)
  if (existing.ok || existing.failure !== 'ENOENT') return existing
  const temp = `${file}.${String(process.pid)}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 })
    await fs.writeFile(temp, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
    await fs.link(temp, file).catch((err: unknown) => {
      if (fsCode(err) !== 'EEXIST') throw err
    })
  } catch (err) {
    return { ok: false, failure: fsCode(err) }
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined)
  }
  return readKey(file)
}

async function readKey(file: string): Promise<KeyResult> {
  try {
    const stat = await fs.lstat(file)
    const uid = process.getuid?.()
    if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (uid !== undefined && stat.uid !== uid)) {
      return { ok: false, failure: 'insecure-key-file' }
    }
    const text = (await fs.readFile(file, 'utf8')).trim()
    if (!KEY_TEXT.test(text)) return { ok: false, failure: 'unreadable-key-file' }
    return { ok: true, key: Buffer.from(text, 'hex') }
  } catch (err) {
    return { ok: false, failure: fsCode(err) }
  }
}
