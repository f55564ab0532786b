import fs from 'node:fs/promises'
import path from 'node:path'
import { repoRootOf, resolveInside } from '../../render/safe-path'
import type { FetchFailure } from '../../secrets/ref'

export type SopsFile =
  | {
      readonly ok: true
      /** The real path (symlinks resolved), inside the repository: what sops reads and what dedupes. */
      readonly real: string
      readonly inputType: 'yaml' | 'json'
    }
  | { readonly ok: false; readonly failure: FetchFailure }

/**
 * Resolves a placeholder's path to an encrypted file the sidecar may read:
 * relative to the app directory, and inside the repository copy Argo CD made
 * (so `../common/secrets.enc.yaml` works in a monorepo), also after following
 * symlinks. Absolute paths are refused: under Argo CD the repository sits in
 * a fresh temporary directory, so an absolute path can only point elsewhere.
 * `.json` files are JSON; everything else YAML, as AVP assumes.
 */
export async function resolveSopsFile(
  ref: string,
  appDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SopsFile> {
  const disallowed = (why: string): SopsFile => ({
    ok: false,
    failure: { code: 'PATH_NOT_ALLOWED', message: `sops file ${ref} ${why}` },
  })
  if (path.isAbsolute(ref))
    return disallowed('is absolute; give a path relative to the app directory')
  const resolved = await resolveInside(ref, appDir, repoRootOf(appDir, env))
  if (!resolved.ok) return disallowed(resolved.failure)
  if (!resolved.exists) {
    return {
      ok: false,
      failure: {
        code: 'SECRET_NOT_FOUND',
        message: `sops file ${ref} not found (paths are relative to the app directory)`,
      },
    }
  }
  const real = await fs.realpath(resolved.path)
  return {
    ok: true,
    real,
    inputType: path.extname(real).toLowerCase() === '.json' ? 'json' : 'yaml',
  }
}
