import type { BackendEntry } from '../types'
import type * as BackendModule from './backend.js'
import { parseFileConfig, type FileConfig } from './config'
import type * as PortModule from './port.js'

/**
 * The `file` backend (`AVP_TYPE=file`): secrets from a local YAML or JSON
 * file, for tests, demos and air-gapped setups. Not an AVP backend.
 */
export const fileBackend: BackendEntry<FileConfig> = {
  name: 'file',
  settingPrefixes: [],
  sdkPackages: [],
  failureCodes: ['CONFIG_INVALID', 'SECRET_NOT_FOUND'],
  parseConfig: parseFileConfig,
  load() {
    // Lazy `require`s, not `import()`: under module node16 a CommonJS file
    // keeps `import()` native, which jest cannot run without VM modules.
    // esbuild bundles both forms the same way; either way the code is loaded
    // only when this backend is configured.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createFileBackend } = require('./backend') as typeof BackendModule
    const { createFsPort } = require('./port') as typeof PortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config) => createFileBackend(config, createFsPort()))
  },
}
