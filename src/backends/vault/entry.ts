import type { BackendEntry } from '../types'
import type * as VaultBackendModule from './backend.js'
import type * as PortModule from './port.js'
import type { VaultConfig } from './config'
import { parseVaultConfig } from './parse-config'
import { splitSecretPath } from './paths'

/**
 * The HashiCorp Vault backend (`AVP_TYPE=vault`), configured as AVP
 * documents it (docs/design/avp-semantics.md). `parseConfig` reads no file
 * and opens no connection; the backend and its HTTP port load in `load()` only.
 */
export const vaultBackend: BackendEntry<VaultConfig> = {
  name: 'vault',
  settingPrefixes: ['VAULT_'],
  sdkPackages: [],
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
  // As the backend reads it: outer slashes dropped, `//`, `.` and `..` refused.
  // The KV v2 `data/` segment is not inferred (the mount is unknown before
  // Vault is asked): `secret/app` and `secret/data/app` are two prefixes.
  scopeSegments: (path) => {
    const segments = splitSecretPath(path)
    return typeof segments === 'string' ? { failure: segments } : segments
  },
  parseConfig: parseVaultConfig,
  load() {
    // Lazy `require`s, as in file/entry.ts: the Vault code loads only with this backend.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createVaultBackend } = require('./backend') as typeof VaultBackendModule
    const { createVaultPort } = require('./port') as typeof PortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) => createVaultBackend(config, deps, createVaultPort))
  },
}
