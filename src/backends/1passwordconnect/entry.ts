import type { BackendEntry } from '../types'
import type * as BackendModule from './backend.js'
import { parseConnectConfig, type ConnectConfig } from './config'
import type * as PortModule from './port.js'

/**
 * 1Password Connect (`AVP_TYPE=1passwordconnect`, docs/design/avp-semantics.md):
 * the path is `vaults/<vault>/items/<item>` (names or ids), the key a field
 * label; versions are ignored. Configured by `OP_CONNECT_HOST` and
 * `OP_CONNECT_TOKEN`, as the 1Password SDKs are.
 */
export const connectBackend: BackendEntry<ConnectConfig> = {
  name: '1passwordconnect',
  settingPrefixes: ['OP_CONNECT_'],
  // Node's own fetch: see port.ts for why not @1password/connect.
  sdkPackages: [],
  failureCodes: [
    'ACCESS_DENIED',
    'AUTH_FAILED',
    'BACKEND_ERROR',
    'CONFIG_INVALID',
    'SECRET_NOT_FOUND',
    'THROTTLED',
    'TIMEOUT',
    'UNAVAILABLE',
  ],
  parseConfig: parseConnectConfig,
  load() {
    // Lazy `require`s, not `import()`: under module node16 a CommonJS file
    // keeps `import()` native, which jest cannot run without VM modules.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createConnectBackend } = require('./backend') as typeof BackendModule
    const { createConnectPort } = require('./port') as typeof PortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) =>
      createConnectBackend(config, deps, createConnectPort(config)),
    )
  },
}
