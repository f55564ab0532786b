import type { BackendEntry } from '../types'
import type * as BackendModule from './backend.js'
import { parseAwsConfig, type AwsConfig } from './config'
import type * as PortModule from './port.js'

export type { AwsConfig } from './config'

/**
 * AWS Secrets Manager (`AVP_TYPE=awssecretsmanager`, docs/backends/aws.md):
 * the path is a secret name or ARN, the key a field of its JSON SecretString.
 * `parseConfig` imports no SDK; `load` brings in `@aws-sdk/client-secrets-manager`.
 */
export const awsBackend: BackendEntry<AwsConfig> = {
  name: 'awssecretsmanager',
  settingPrefixes: ['AWS_'],
  sdkPackages: ['@aws-sdk/client-secrets-manager'],
  failureCodes: [
    'ACCESS_DENIED',
    'AUTH_FAILED',
    'BACKEND_ERROR',
    'CONFIG_INVALID',
    'DECRYPTION_FAILED',
    'SECRET_NOT_FOUND',
    'THROTTLED',
    'TIMEOUT',
    'UNAVAILABLE',
  ],
  parseConfig: parseAwsConfig,
  load() {
    // Lazy `require`s, as in file/entry.ts: the SDK loads only with this backend.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createAwsBackend } = require('./backend') as typeof BackendModule
    const { createSdkPort } = require('./port') as typeof PortModule
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve((config, deps) =>
      createAwsBackend(config, deps, (region) => createSdkPort(config, region)),
    )
  },
}
