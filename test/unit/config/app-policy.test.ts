import { settingPrefixes } from '../../../src/backends/registry'
import {
  appParamIssues,
  readAppPolicy,
  SAFE_APP_ENV_KEYS,
  SAFE_APP_PARAMS,
} from '../../../src/config/app-policy'
import { loadSettings } from '../../../src/config/load'
import { ConfigError } from '../../../src/errors'
import { silentLog } from '../../../src/log'
import { RENDER_PARAM_NAMES } from '../../../src/render/param-names'

async function load(env: Record<string, string>) {
  return loadSettings({
    env,
    settingPrefixes: settingPrefixes(),
    cwd: '/',
    log: silentLog,
    registerSecret: () => undefined,
  })
}

async function issuesOf(env: Record<string, string>): Promise<readonly string[]> {
  const error = await load(env).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  return (error as ConfigError).issues
}

describe('AVP_APP_ENV_ALLOWLIST: what an Application may set through its plugin env', () => {
  test('unset: a key that selects an endpoint is refused, never a silent override', async () => {
    expect(
      await issuesOf({
        VAULT_ADDR: 'https://vault.internal',
        ARGOCD_ENV_VAULT_ADDR: 'https://evil.example',
      }),
    ).toEqual([
      "ARGOCD_ENV_VAULT_ADDR: Applications may not set VAULT_ADDR on this plugin (it could select credentials, endpoints, files or cache locations); the operator can allow it with AVP_APP_ENV_ALLOWLIST in the sidecar's environment (allowed: AVP_KV_VERSION, HELM_ARGS, HELM_VALUES)",
    ])
  })

  test.each([
    'AVP_TYPE',
    'AVP_AUTH_TYPE',
    'VAULT_TOKEN',
    'AVP_FILE_PATH',
    'AVP_TOKEN_CACHE_DIR',
    'AVP_PATH_VALIDATION',
    'AWS_REGION',
    'VAULT_NAMESPACE',
    // Unknown keys are refused too: a future backend's keys cannot slip through.
    'SOME_FUTURE_BACKEND_URL',
  ])('unset: %s is refused', async (key) => {
    const issues = await issuesOf({ [`ARGOCD_ENV_${key}`]: 'x' })
    expect(issues).toHaveLength(1)
    expect(issues[0]).toContain(`Applications may not set ${key} on this plugin`)
  })

  test('unset: the safe keys are allowed', async () => {
    const settings = await load({
      ARGOCD_ENV_AVP_KV_VERSION: '1',
      ARGOCD_ENV_HELM_ARGS: '--set a=b',
      ARGOCD_ENV_HELM_VALUES: 'replicas: 2',
    })
    expect(settings.get('AVP_KV_VERSION')).toBe('1')
    expect(SAFE_APP_ENV_KEYS).toEqual(['AVP_KV_VERSION', 'HELM_ARGS', 'HELM_VALUES'])
  })

  test('set: the listed keys add to the safe ones and still win over the sidecar', async () => {
    const settings = await load({
      AVP_APP_ENV_ALLOWLIST: 'vault_namespace',
      VAULT_NAMESPACE: 'root',
      ARGOCD_ENV_VAULT_NAMESPACE: 'team-a',
      ARGOCD_ENV_HELM_VALUES: 'replicas: 2',
    })
    expect(settings.get('VAULT_NAMESPACE')).toBe('team-a')
    expect(
      await issuesOf({ AVP_APP_ENV_ALLOWLIST: 'VAULT_NAMESPACE', ARGOCD_ENV_VAULT_ADDR: 'x' }),
    ).toEqual([
      expect.stringContaining('(allowed: AVP_KV_VERSION, HELM_ARGS, HELM_VALUES, VAULT_NAMESPACE)'),
    ])
  })

  test('`*`: any key, as in AVP', async () => {
    const settings = await load({
      AVP_APP_ENV_ALLOWLIST: '*',
      VAULT_ADDR: 'https://vault.internal',
      ARGOCD_ENV_VAULT_ADDR: 'https://other.example',
    })
    expect(settings.get('VAULT_ADDR')).toBe('https://other.example')
  })

  test('an Application can never widen either list itself', async () => {
    expect(
      await issuesOf({
        AVP_APP_ENV_ALLOWLIST: '*',
        ARGOCD_ENV_AVP_APP_ENV_ALLOWLIST: '*',
        ARGOCD_ENV_AVP_APP_PARAM_ALLOWLIST: '*',
      }),
    ).toEqual([
      "ARGOCD_ENV_AVP_APP_ENV_ALLOWLIST: an Application cannot change AVP_APP_ENV_ALLOWLIST; only the sidecar's environment sets it",
      "ARGOCD_ENV_AVP_APP_PARAM_ALLOWLIST: an Application cannot change AVP_APP_PARAM_ALLOWLIST; only the sidecar's environment sets it",
    ])
  })
})

describe('AVP_APP_PARAM_ALLOWLIST: which render parameters an Application may set', () => {
  test('every safe parameter is a render parameter, and load-restrictor is not safe', () => {
    for (const name of SAFE_APP_PARAMS) expect(RENDER_PARAM_NAMES).toContain(name)
    expect(SAFE_APP_PARAMS).not.toContain('load-restrictor')
  })

  test('unset: load-restrictor is refused, the safe ones pass', () => {
    const policy = readAppPolicy({})
    expect(appParamIssues(policy, ['values-files', 'set', 'load-restrictor'])).toEqual([
      `plugin parameter "load-restrictor": Applications may not set it on this plugin (it widens what the render tools may read); the operator can allow it with AVP_APP_PARAM_ALLOWLIST in the sidecar's environment`,
    ])
  })

  test('a render parameter added later is refused until it is classified', () => {
    expect(appParamIssues(readAppPolicy({}), ['some-new-param'])).toHaveLength(1)
  })

  test('set or `*`: the operator allows it', () => {
    const names = ['load-restrictor']
    expect(
      appParamIssues(readAppPolicy({ AVP_APP_PARAM_ALLOWLIST: ' Load-Restrictor ' }), names),
    ).toEqual([])
    expect(appParamIssues(readAppPolicy({ AVP_APP_PARAM_ALLOWLIST: '*' }), names)).toEqual([])
  })
})
