import type { Settings } from '../../config/settings'
import { Secret } from '../../secrets/secret'
import { operatorSetting } from '../operator-setting'
import type { ConfigResult } from '../types'

/** The validated configuration of `AVP_TYPE=sops`. */
export interface SopsConfig {
  /** sops processes at once. */
  readonly concurrency: number
  /**
   * The age key settings given to sops, from the operator only (a config
   * file or Secret may hold them, as with AVP, which exports them to the
   * environment). Values are credentials or the paths of credentials.
   */
  readonly keyEnv: ReadonlyMap<string, Secret<string>>
}

/**
 * The settings sops reads its age keys from. `SOPS_AGE_KEY_CMD` and
 * `SOPS_AGE_SSH_PRIVATE_KEY_CMD` are not passed: they run a command, and a
 * command belongs in the image, not in a setting.
 */
export const SOPS_KEY_SETTINGS = [
  'SOPS_AGE_KEY_FILE',
  'SOPS_AGE_KEY',
  'SOPS_AGE_SSH_PRIVATE_KEY_FILE',
] as const

/** Decrypting is quick and local for age; four at once keeps two cores busy without thrashing. */
const CONCURRENCY = 4

export function parseSopsConfig(settings: Settings): ConfigResult<SopsConfig> {
  const issues: string[] = []
  const keyEnv = new Map<string, Secret<string>>()
  for (const key of SOPS_KEY_SETTINGS) {
    const value = operatorSetting(settings, key, issues)
    if (value !== undefined) keyEnv.set(key, new Secret(value))
  }
  if (issues.length > 0) return { ok: false, failures: issues }
  return {
    ok: true,
    config: { concurrency: CONCURRENCY, keyEnv },
  }
}
