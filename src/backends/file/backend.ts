import { refKey, type Lookup, type RefKey, type SecretRef } from '../../secrets/ref'
import type { Backend } from '../types'
import type { FileConfig } from './config'
import { unreadableFailure } from './errors'
import type { FilePort } from './port'
import { failingSecretsFile, parseSecretsFile, type SecretsFile } from './secrets-file'

/**
 * Creates the `file` backend. The file is read once, on the first
 * `fetchMany`, so a run without placeholders never touches it.
 */
export function createFileBackend(config: FileConfig, port: FilePort): Backend {
  let loading: Promise<SecretsFile> | undefined
  return {
    type: 'file',
    async fetchMany(refs: readonly SecretRef[]) {
      loading ??= loadSecretsFile(config.path, port)
      const file = await loading
      return new Map<RefKey, Lookup>(refs.map((ref) => [refKey(ref), file.lookup(ref)]))
    },
  }
}

async function loadSecretsFile(configured: string, port: FilePort): Promise<SecretsFile> {
  let text: string
  try {
    text = await port.readText(configured)
  } catch (err) {
    return failingSecretsFile(unreadableFailure(configured, err))
  }
  return parseSecretsFile(text, configured)
}
