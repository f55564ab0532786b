import type { Backend, BackendDeps } from '../types'
import { createAwsBackend } from './backend'
import type { AwsConfig } from './config'
import { createSdkPort } from './port'

/** The backend with its SDK port: what `entry.load()` hands the registry. */
export function createAwsSdkBackend(config: AwsConfig, deps: BackendDeps): Backend {
  return createAwsBackend(config, deps, (region) => createSdkPort(config, region))
}
