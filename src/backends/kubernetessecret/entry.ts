import { parseSecretName } from '../../config/kube-secret'
import type { BackendEntry } from '../types'
import type * as BackendModule from './backend.js'
import { parseKubeSecretConfig, type KubeSecretConfig } from './config'
import type * as PortModule from './port.js'

/**
 * Kubernetes Secrets (`AVP_TYPE=kubernetessecret`): the path is `NAME`
 * (namespace `argocd`) or `NAMESPACE:NAME`, the key a `.data` key, versions
 * are ignored, as in AVP (docs/design/avp-semantics.md). Read with the pod's
 * service account through the in-cluster API, one GET per distinct Secret.
 */
export const kubeSecretBackend: BackendEntry<KubeSecretConfig> = {
  name: 'kubernetessecret',
  settingPrefixes: [],
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
  // `app` and `argocd:app` are one Secret: both are [argocd, app]. A prefix
  // is `NAMESPACE` or `NAMESPACE/NAME`.
  scopeSegments: (path, prefix) => {
    if (prefix) {
      const segments = path.split('/')
      return segments.length <= 2 && segments.every((s) => s !== '')
        ? segments
        : { failure: 'a kubernetessecret prefix is NAMESPACE or NAMESPACE/NAME' }
    }
    const parsed = parseSecretName(path, 'secret path')
    return parsed.ok ? [parsed.secret.namespace, parsed.secret.name] : { failure: parsed.failure }
  },
  parseConfig: parseKubeSecretConfig,
  load() {
    // Lazy `require`s, not `import()`: under module node16 a CommonJS file
    // keeps `import()` native, which jest cannot run without VM modules.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createKubeSecretBackend } = require('./backend') as typeof BackendModule
    const { inClusterPort } = require('./port') as typeof PortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) =>
      createKubeSecretBackend(config, inClusterPort(deps, config.requestTimeoutMs)),
    )
  },
}
