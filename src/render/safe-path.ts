import fs from 'node:fs/promises'
import path from 'node:path'

type Env = Readonly<Record<string, string | undefined>>

/**
 * The root that value files may come from: the repository copy Argo CD
 * untarred (docs/design/argocd-cmp-contract.md), found by removing `ARGOCD_APP_SOURCE_PATH`
 * from the end of the app directory. Without it (a run by hand, or a path that
 * does not match), only the app directory itself.
 */
export function repoRootOf(appDir: string, env: Env): string {
  const dir = path.resolve(appDir)
  const raw = env['ARGOCD_APP_SOURCE_PATH'] ?? ''
  const rel = path.normalize(raw.replace(/\\/g, '/')).replace(/^(\.\/)+|\/+$/g, '')
  if (rel === '' || rel === '.' || path.isAbsolute(rel) || rel.split('/').includes('..')) return dir
  const suffix = path.sep + rel
  return dir.endsWith(suffix) ? dir.slice(0, dir.length - suffix.length) || path.sep : dir
}

export type ResolvedPath =
  | { readonly ok: true; readonly path: string; readonly exists: boolean }
  | { readonly ok: false; readonly failure: string }

/**
 * Resolves a value file as written by the user (relative to the app directory,
 * or absolute) and checks that it stays inside `root`, also after following
 * symlinks. `../../etc/passwd` and absolute paths elsewhere are refused: an
 * Application must not make the sidecar read its own files (Argo CD applies the
 * same rule to native Helm value files).
 */
export async function resolveInside(
  ref: string,
  appDir: string,
  root: string,
): Promise<ResolvedPath> {
  if (ref.trim() === '') return { ok: false, failure: 'is empty' }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(ref)) {
    return { ok: false, failure: 'is a URL; only files in the repository are supported' }
  }
  const abs = path.resolve(appDir, ref)
  if (!isWithin(abs, root)) return { ok: false, failure: 'is outside the repository' }
  let real: string
  try {
    real = await fs.realpath(abs)
  } catch {
    return { ok: true, path: abs, exists: false }
  }
  if (!isWithin(real, await fs.realpath(root))) {
    return { ok: false, failure: 'is a symlink to a file outside the repository' }
  }
  const stat = await fs.stat(real)
  if (!stat.isFile()) return { ok: false, failure: 'is not a file' }
  return { ok: true, path: abs, exists: true }
}

/** True when `target` is `root` or below it (both absolute). */
export function isWithin(target: string, root: string): boolean {
  const rel = path.relative(root, target)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

/**
 * True when `target` is `root` or below it once symlinks are resolved, also
 * when `target` does not exist yet (its nearest existing parent is resolved).
 */
export async function isWithinReal(target: string, root: string): Promise<boolean> {
  return isWithin(await realpathOfExisting(path.resolve(target)), await realpathOfExisting(root))
}

async function realpathOfExisting(abs: string): Promise<string> {
  const rest: string[] = []
  let current = abs
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest.reverse())
    } catch {
      const parent = path.dirname(current)
      if (parent === current) return abs
      rest.push(path.basename(current))
      current = parent
    }
  }
}
