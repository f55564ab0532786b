import type { Dirent } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { ProblemsError, type Problem } from '../errors'
import type { InputText } from './types'
import { invalidUtf8Offset } from './utf8'
import { compareWalkOrder } from './walk-order'

/** Extensions AVP reads, compared case-sensitively like Go's `filepath.Ext` (docs/design/avp-semantics.md). */
const EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/** Files read at once: enough to hide latency, few enough not to hit EMFILE on a big repo. */
const READ_BATCH = 16

/**
 * Reads every YAML or JSON file under `root` (or `root` itself when it is a
 * file) in Go `filepath.Walk` order, as AVP does (docs/design/avp-semantics.md).
 * Hidden files are read, but nothing under `.git`: Argo CD hands the plugin
 * the whole checkout. Symlinked directories are not followed; symlinked files
 * are read (render/symlinks.ts has already refused links leaving the repository). Every unreadable file is reported, and nothing is returned then.
 * `displayRoot` (default `root`) is how the user wrote the path: sources and
 * messages use it, so an absolute `root` does not leak into every message.
 */
export async function readInputFiles(root: string, displayRoot = root): Promise<InputText[]> {
  const files = await listFiles(root)
  if (files.length === 0) {
    throw new ProblemsError([
      { code: 'INPUT_INVALID', message: `no YAML or JSON files were found in ${displayRoot}` },
    ])
  }
  const sources = files.map((rel) => ({
    file: rel === '' ? root : path.join(root, rel),
    source: rel === '' ? displayRoot : path.join(displayRoot, rel),
  }))
  const inputs: InputText[] = []
  const problems: Problem[] = []
  for (let i = 0; i < sources.length; i += READ_BATCH) {
    const batch = sources.slice(i, i + READ_BATCH)
    const read = await Promise.all(
      batch.map(async ({ file, source }) => ({ source, text: await readText(file) })),
    )
    for (const { source, text } of read) {
      if (typeof text === 'string') inputs.push({ source, text, skipNonObjects: true })
      else problems.push({ code: 'INPUT_INVALID', message: text.error, location: { file: source } })
    }
  }
  if (problems.length > 0) throw new ProblemsError(problems)
  return inputs
}

/** The files to read, relative to `root` in walk order; `''` when `root` itself is the file. */
async function listFiles(root: string): Promise<string[]> {
  const stat = await fs.stat(root).catch(() => undefined)
  // A nonexistent root is "no files found", as in AVP.
  if (stat === undefined) return []
  if (!stat.isDirectory()) return hasInputExtension(root) ? [''] : []
  const rels = await walk(root)
  return rels.sort(compareWalkOrder)
}

/**
 * Every non-directory entry under `root` with an input extension, relative
 * and `/`-separated. Nothing under a `.git` directory is listed, and
 * symlinked directories are not entered. A plain walk rather than a glob
 * library: one fewer dependency to load on every run (docs/performance.md).
 */
async function walk(root: string): Promise<string[]> {
  const rels: string[] = []
  const pending: string[] = ['']
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: Dirent[]
    try {
      entries = await fs.readdir(dir === '' ? root : path.join(root, dir), { withFileTypes: true })
    } catch (err) {
      // AVP ignores unreadable directories; a missing subtree would make Argo CD
      // prune its resources, so we fail instead. Only the errno code is shown.
      throw new ProblemsError([
        { code: 'INPUT_INVALID', message: `could not list files in ${root}: ${errnoText(err)}` },
      ])
    }
    for (const entry of entries) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`
      if (entry.isDirectory()) {
        if (entry.name !== '.git') pending.push(rel)
        continue
      }
      if (!hasInputExtension(entry.name)) continue
      if (entry.isSymbolicLink() && (await isDirectory(path.join(root, rel)))) continue
      rels.push(rel)
    }
  }
  return rels
}

function hasInputExtension(file: string): boolean {
  return EXTENSIONS.has(path.extname(file))
}

async function isDirectory(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined)
  return stat?.isDirectory() ?? false
}

async function readText(file: string): Promise<string | { error: string }> {
  let bytes: Buffer
  try {
    bytes = await fs.readFile(file)
  } catch (err) {
    return { error: `could not read file: ${errnoText(err)}` }
  }
  // Decoding would turn each bad byte into U+FFFD and change the manifest silently.
  const bad = invalidUtf8Offset(bytes)
  return bad === -1 ? bytes.toString('utf8') : { error: `not valid UTF-8 (at byte ${String(bad)})` }
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file (a dangling symlink?)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
}

/** The errno code of a filesystem error, never its free-text message. */
function errnoText(err: unknown): string {
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : 'unknown error'
  return ERRNO_TEXT[code] ?? code
}
