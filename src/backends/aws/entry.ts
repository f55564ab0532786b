import type { BackendEntry } from '../types'
import { parseAwsConfig, type AwsConfig } from './config'
import type * as AwsFactoryModule from './factory.js'

export type { AwsConfig } from './config'

/**
 * AWS Secrets Manager (`AVP_TYPE=awssecretsmanager`, avp-behaviour.md §6.3):
 * the path is a secret name or ARN, the key a field of its JSON SecretString.
 * `parseConfig` imports no SDK; `load` brings in `@aws-sdk/client-secrets-manager`.
 */
export const awsBackend: BackendEntry<AwsConfig> = {
  type: 'awssecretsmanager',
  parseConfig: parseAwsConfig,
  load() {
    // A lazy `require`, not `import()`: under module node16 a CommonJS file
    // keeps `import()` native, which jest cannot run without VM modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createAwsSdkBackend } = require('./factory') as typeof AwsFactoryModule
    return Promise.resolve(createAwsSdkBackend)
  },
}
