import type { BackendEntry } from '../types'
import type * as VaultBackendModule from './backend.js'
import type { VaultConfig } from './config'
import { parseVaultConfig } from './parse-config'

/**
 * The HashiCorp Vault backend (`AVP_TYPE=vault`), configured as AVP
 * documents it (docs/design/avp-semantics.md). `parseConfig` reads no file
 * and loads no SDK; node-vault is loaded by `load()` only.
 */
export const vaultBackend: BackendEntry<VaultConfig> = {
  name: 'vault',
  settingPrefixes: ['VAULT_'],
  sdkPackages: ['node-vault'],
  failureCodes: [
    'ACCESS_DENIED',
    'AUTH_FAILED',
    'BACKEND_ERROR',
    'CONFIG_INVALID',
    'PATH_NOT_ALLOWED',
    'SECRET_NOT_FOUND',
    'THROTTLED',
    'TIMEOUT',
    'UNAVAILABLE',
    'VERSION_DELETED',
    'WRONG_ENGINE',
  ],
  parseConfig: parseVaultConfig,
  load() {
    // A lazy `require`, as in file/entry.ts: under module node16 a CommonJS
    // file keeps `import()` native, which jest cannot run without VM modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createVaultBackend } = require('./backend') as typeof VaultBackendModule
    return Promise.resolve(createVaultBackend)
  },
}
