import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Looks `name` up on the `PATH` of `env` (not of this process: the CLI's env is
 * injected) and returns the absolute path of the first executable file, or
 * undefined. Resolving it ourselves lets a missing tool be one clear line
 * instead of a spawn ENOENT, and lets kustomize fall back to `kubectl kustomize`.
 */
export async function findTool(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== '')
  for (const dir of dirs) {
    const candidate = path.resolve(dir, name)
    try {
      const stat = await fs.stat(candidate)
      if (!stat.isFile()) continue
      await fs.access(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // Not here: try the next PATH entry.
    }
  }
  return undefined
}
