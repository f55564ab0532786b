import type { BackendEntry } from '../types'
import type * as GcpBackendModule from './backend.js'
import { parseGcpConfig, type GcpConfig } from './config'
import type * as GcpPortModule from './port.js'

/**
 * GCP Secret Manager (`AVP_TYPE=gcpsecretmanager`): the path is
 * `projects/<project>/secrets/<secret id>` (regional: with `locations/<location>/`
 * before `secrets`), the key the secret id (the whole
 * payload, as in AVP) or a field of a JSON-object payload. `parseConfig`
 * imports no SDK; `load` brings in `@google-cloud/secret-manager`.
 */
export const gcpBackend: BackendEntry<GcpConfig> = {
  name: 'gcpsecretmanager',
  // GOOGLE_APPLICATION_CREDENTIALS; AVP_GCP_ENDPOINT is covered by AVP_.
  settingPrefixes: ['GOOGLE_'],
  sdkPackages: ['@google-cloud/secret-manager'],
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
  parseConfig: parseGcpConfig,
  load() {
    // Lazy `require`s, as in file/entry.ts: under module node16 a CommonJS
    // file keeps `import()` native, which jest cannot run without VM modules.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createGcpBackend } = require('./backend') as typeof GcpBackendModule
    const { createSdkPort } = require('./port') as typeof GcpPortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) => createGcpBackend(config, deps, createSdkPort(config)))
  },
}
