import fs from 'node:fs/promises'
import path from 'node:path'
import { refKey, type Lookup, type RefKey, type SecretRef } from '../../secrets/ref'
import type { Backend, FetchContext } from '../types'
import type { FileConfig } from './config'
import { parseSecretsFile, unreadableSecretsFile, type SecretsFile } from './secrets-file'

/**
 * Creates the `file` backend. The file is read once, on the first
 * `fetchMany`, so a run without placeholders never touches it.
 */
export function createFileBackend(config: FileConfig): Backend {
  let loading: Promise<SecretsFile> | undefined
  return {
    type: 'file',
    async fetchMany(refs: readonly SecretRef[], ctx: FetchContext) {
      const started = Date.now()
      loading ??= loadSecretsFile(config.path)
      const file = await loading
      const results = new Map<RefKey, Lookup>()
      for (const ref of refs) {
        const lookup = file.lookup(ref)
        results.set(refKey(ref), lookup)
        ctx.log({
          kind: 'fetch',
          path: ref.path,
          ...(ref.version === undefined ? {} : { version: ref.version }),
          ms: Date.now() - started,
          outcome: lookup.ok ? 'ok' : lookup.error.code,
        })
      }
      return results
    },
  }
}

async function loadSecretsFile(configured: string): Promise<SecretsFile> {
  // The CLI passes no cwd: a relative AVP_FILE_PATH means relative to where
  // the plugin runs, as a shell user expects.
  try {
    return parseSecretsFile(await fs.readFile(path.resolve(configured), 'utf8'), configured)
  } catch (err) {
    return unreadableSecretsFile(configured, err)
  }
}
