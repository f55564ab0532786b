import type { Settings } from '../../config/settings'
import type { ConfigResult } from '../types'

/** Configuration of the `file` backend: where the secrets file is. */
export interface FileConfig {
  /** `AVP_FILE_PATH` as configured; a relative path is resolved against the process cwd. */
  readonly path: string
}

export function parseFileConfig(settings: Settings): ConfigResult<FileConfig> {
  const path = settings.get('AVP_FILE_PATH')?.trim()
  if (path === undefined || path === '') {
    return { ok: false, failures: ['AVP_FILE_PATH: required when AVP_TYPE=file'] }
  }
  return { ok: true, config: { path } }
}
