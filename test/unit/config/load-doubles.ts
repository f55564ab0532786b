// Shared doubles for the loadSettings tests: an in-memory file system and a
// Kubernetes Secret reader that records what it was asked.
import { settingPrefixes } from '../../../src/backends/registry'
import { ConfigError } from '../../../src/errors'
import { silentLog } from '../../../src/log'
import { loadSettings } from '../../../src/config/load'
import type { LoadSettingsOptions } from '../../../src/config/load'
import type { KubeSecretReader } from '../../../src/config/kube-secret'
import type { SecretName } from '../../../src/kube/secret'

export const CWD = '/work/app'

/** An in-memory file system: absolute path → content. */
export function files(contents: Record<string, string>): (p: string) => Promise<string> {
  return (p) => {
    const text = contents[p]
    if (text === undefined) {
      return Promise.reject(Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' }))
    }
    return Promise.resolve(text)
  }
}

/** A Kubernetes Secret reader that serves `data` and records what was asked. */
export function fakeKube(data: Record<string, string>): KubeSecretReader & { calls: SecretName[] } {
  const calls: SecretName[] = []
  return {
    calls,
    read(secret) {
      calls.push(secret)
      return Promise.resolve(new Map(Object.entries(data)))
    },
  }
}

export function load(extra: Partial<LoadSettingsOptions>) {
  return loadSettings({
    env: {},
    settingPrefixes: settingPrefixes(),
    cwd: CWD,
    log: silentLog,
    registerSecret: () => undefined,
    ...extra,
  })
}

export async function configIssues(
  extra: Partial<LoadSettingsOptions>,
): Promise<readonly string[]> {
  const error: unknown = await load(extra).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError')
  return error.issues
}
