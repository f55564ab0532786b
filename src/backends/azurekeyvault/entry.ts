import type { BackendEntry } from '../types'
import type * as AzureBackendModule from './backend.js'
import { parseAzureConfig, type AzureConfig } from './config'
import type * as AzurePortModule from './port.js'

/**
 * Azure Key Vault (`AVP_TYPE=azurekeyvault`): the path is the vault name, the
 * key a secret name, an inline version a secret version, as in AVP. Each key
 * is a secret of its own, so the planner makes a ref per key (`refPerKey`).
 * `parseConfig` imports no SDK; `load` brings in `@azure/keyvault-secrets`
 * and `@azure/identity`.
 */
export const azureBackend: BackendEntry<AzureConfig> = {
  name: 'azurekeyvault',
  // AZURE_TENANT_ID, AZURE_CLIENT_ID, ...; AVP_AZURE_VAULT_URL_TEMPLATE is covered by AVP_.
  settingPrefixes: ['AZURE_'],
  sdkPackages: ['@azure/identity', '@azure/keyvault-secrets'],
  refPerKey: true,
  // The path is a vault name, one segment, and Key Vault names are
  // case-insensitive: `Team-A` and `team-a` are one vault.
  scopeSegments: (path) => [path.toLowerCase()],
  failureCodes: [
    'ACCESS_DENIED',
    'AUTH_FAILED',
    'BACKEND_ERROR',
    'CONFIG_INVALID',
    'SECRET_NOT_FOUND',
    'THROTTLED',
    'TIMEOUT',
    'UNAVAILABLE',
    'VERSION_DELETED',
  ],
  parseConfig: parseAzureConfig,
  load() {
    // Lazy `require`s, as in file/entry.ts: under module node16 a CommonJS
    // file keeps `import()` native, which jest cannot run without VM modules.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createAzureBackend } = require('./backend') as typeof AzureBackendModule
    const { createSdkPort } = require('./port') as typeof AzurePortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) =>
      createAzureBackend(config, deps, createSdkPort(config, deps.registerSecret)),
    )
  },
}
