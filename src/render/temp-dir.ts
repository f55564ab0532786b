import { constants as fsConstants } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { IoError } from '../errors'
import { isRunning } from '../pid'

/** Every run's private temp dir is `<TMPDIR>/argocd-secret-plugin-<pid>-<random>`. */
const PREFIX = 'argocd-secret-plugin-'

/**
 * Creates this run's private 0700 temp dir, first removing the dirs of
 * earlier runs that were killed before they could clean up (Argo CD sends
 * SIGKILL at its deadline): dirs with our prefix, owned by our uid, whose pid
 * is no longer running. A live run's dir is never touched, so concurrent runs
 * are safe. A missing, unwritable or full TMPDIR is an `IoError` naming the
 * errno code.
 */
export async function createRunTempDir(
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const fromEnv = env['TMPDIR']
  const tmp = fromEnv === undefined || fromEnv === '' ? os.tmpdir() : fromEnv
  await sweepStaleRunDirs(tmp)
  try {
    const dir = await fs.mkdtemp(path.join(tmp, `${PREFIX}${String(process.pid)}-`))
    await fs.chmod(dir, 0o700)
    return dir
  } catch (err) {
    throw new IoError(`could not create a private temp dir in TMPDIR (${tmp}): ${errnoCode(err)}`)
  }
}

export async function sweepStaleRunDirs(tmp: string): Promise<void> {
  let names: string[]
  try {
    names = await fs.readdir(tmp)
  } catch {
    return // reported by the mkdtemp that follows
  }
  const uid = process.getuid?.()
  await Promise.all(
    names.map(async (name) => {
      const pid = ownerPid(name)
      if (pid === undefined || pid === process.pid || isRunning(pid)) return
      const dir = path.join(tmp, name)
      const stat = await fs.lstat(dir).catch(() => undefined)
      if (stat === undefined || !stat.isDirectory() || (uid !== undefined && stat.uid !== uid))
        return
      await removeStaleDir(dir)
    }),
  )
}

/**
 * A tool of a killed run may still wait to open a values FIFO of its dir
 * (fifo.ts): tools run in their own process group, so Argo CD's kill does not
 * reach them. Each FIFO is held open for reading and writing (which never
 * blocks on Linux and wakes such a waiter) while the dir is removed, then
 * closed: a waiter gets an empty end of file, and a tool that comes to a FIFO
 * later finds it gone. Either way it ends instead of waiting forever.
 */
async function removeStaleDir(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  const held: fs.FileHandle[] = []
  for (const entry of entries) {
    if (!entry.isFIFO()) continue
    const handle = await fs
      .open(path.join(dir, entry.name), fsConstants.O_RDWR | fsConstants.O_NONBLOCK)
      .catch(() => undefined)
    if (handle !== undefined) held.push(handle)
  }
  await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined)
  await Promise.all(held.map((handle) => handle.close()))
}

function ownerPid(name: string): number | undefined {
  if (!name.startsWith(PREFIX)) return undefined
  const match = /^(\d+)-/.exec(name.slice(PREFIX.length))
  return match?.[1] === undefined ? undefined : Number(match[1])
}

function errnoCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : 'unknown error'
}
