import path from 'node:path'
import type { BackendEntry } from '../types'
import type * as BackendModule from './backend.js'
import { parseSopsConfig, type SopsConfig } from './config'
import type * as PortModule from './port.js'

/**
 * SOPS-encrypted files in the repository (`AVP_TYPE=sops`,
 * docs/design/avp-semantics.md): the path is a YAML or JSON file relative to the app
 * directory, the key a top-level key (nested ones through `jsonPath`);
 * versions are ignored. Decrypted by the `sops` binary, whose output is read
 * from its stdout and never written to disk.
 */
export const sopsBackend: BackendEntry<SopsConfig> = {
  name: 'sops',
  // sops's own settings; the key services' (AWS_, GNUPGHOME, …) are read from the sidecar env.
  settingPrefixes: ['SOPS_'],
  // The sops binary, not an npm package: pinned in scripts/tool-versions.env and the Dockerfile.
  sdkPackages: [],
  failureCodes: [
    'BACKEND_ERROR',
    'CONFIG_INVALID',
    'DECRYPTION_FAILED',
    'PATH_NOT_ALLOWED',
    'SECRET_NOT_FOUND',
    'TIMEOUT',
  ],
  // Relative to the app directory, normalised as the backend resolves it
  // (`./a/../b.yaml` is `b.yaml`; only leading `..` segments remain).
  scopeSegments: (written) => {
    if (path.posix.isAbsolute(written)) return { failure: 'an absolute path is never in scope' }
    return path.posix.normalize(written).split('/')
  },
  parseConfig: parseSopsConfig,
  load() {
    // Lazy `require`s, not `import()`: under module node16 a CommonJS file
    // keeps `import()` native, which jest cannot run without VM modules.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createSopsBackend } = require('./backend') as typeof BackendModule
    const { createSopsPort } = require('./port') as typeof PortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) =>
      createSopsBackend(config, deps, createSopsPort(deps.env)),
    )
  },
}
