import type { BackendEntry } from '../types'
import type * as FileBackendModule from './backend.js'
import type { FileConfig } from './config'

/**
 * The `file` backend (`AVP_TYPE=file`): secrets from a local YAML or JSON
 * file, for tests, demos and air-gapped setups. Not an AVP backend.
 */
export const fileBackend: BackendEntry<FileConfig> = {
  type: 'file',
  parseConfig(settings) {
    const path = settings.get('AVP_FILE_PATH')?.trim()
    if (path === undefined || path === '') {
      return { ok: false, issues: ['AVP_FILE_PATH: required when AVP_TYPE=file'] }
    }
    return { ok: true, config: { path } }
  },
  load() {
    // A lazy `require`, not `import()`: under module node16 a CommonJS file
    // keeps `import()` native, which jest cannot run without VM modules.
    // esbuild bundles both forms the same way (style guide B.1: loaded only when used).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createFileBackend } = require('./backend') as typeof FileBackendModule
    return Promise.resolve(createFileBackend)
  },
}
