import fs from 'node:fs/promises'
import path from 'node:path'
import { ProblemsError, type Problem } from '../errors'
import { isWithin } from './safe-path'

/**
 * Refuses a repository that holds a symlink leading outside it. The plain
 * reader, helm (`.Files.Get`, `.Files.Glob`) and kustomize (a file under the
 * default load restrictor) all follow file symlinks, so `env.yaml ->
 * /proc/self/environ` would print the sidecar's environment. Argo CD makes the
 * same check when it checks a repository out, but an operator can switch that
 * off. A link that resolves inside the repository is followed: charts and
 * kustomizations share files that way. Runs before any file is read or any tool
 * starts; the link's target is never quoted (it may name a sidecar path).
 */
export async function refuseEscapingSymlinks(repoRoot: string, appDir: string): Promise<void> {
  // A hand-run with a mismatching ARGOCD_APP_SOURCE_PATH could make the root `/`.
  const root = path.parse(repoRoot).root === repoRoot ? appDir : repoRoot
  const stat = await fs.stat(root).catch(() => undefined)
  if (stat?.isDirectory() !== true) return
  const realRoot = await fs.realpath(root)
  const problems: Problem[] = []
  for (const rel of await symlinksUnder(root)) {
    if (!(await leadsInside(path.join(root, rel), realRoot, root))) {
      problems.push({
        code: 'INPUT_INVALID',
        message:
          'is a symlink that leads outside the repository; only links that stay inside it are followed',
        location: { file: rel },
      })
    }
  }
  if (problems.length > 0) throw new ProblemsError(problems)
}

async function leadsInside(link: string, realRoot: string, root: string): Promise<boolean> {
  try {
    return isWithin(await fs.realpath(link), realRoot)
  } catch {
    // Dangling (or a loop): judge where it points as written.
    try {
      const target = path.resolve(path.dirname(link), await fs.readlink(link))
      return isWithin(target, root) || isWithin(target, realRoot)
    } catch {
      return false
    }
  }
}

/**
 * Every symlink under `root` (relative paths), without following any and
 * without entering `.git`, which Argo CD's checkout writes, not the tenant.
 * An unreadable directory is skipped: reading from it fails later anyway.
 */
async function symlinksUnder(root: string): Promise<string[]> {
  const links: string[] = []
  const pending = ['']
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      const rel = path.join(dir, entry.name)
      if (entry.isSymbolicLink()) links.push(rel)
      else if (entry.isDirectory() && entry.name !== '.git') pending.push(rel)
    }
  }
  return links.sort()
}
