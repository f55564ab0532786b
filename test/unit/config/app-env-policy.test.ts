import { ConfigError } from '../../../src/errors'
import { loadSettings } from '../../../src/config/load'
import { silentLog } from '../../../src/log'

async function load(env: Record<string, string>) {
  return loadSettings({ env, cwd: '/', log: silentLog })
}

describe('AVP_APP_ENV_ALLOWLIST', () => {
  test('unset: Applications may set any key, as in AVP', async () => {
    const settings = await load({
      VAULT_ADDR: 'https://vault.internal',
      ARGOCD_ENV_VAULT_ADDR: 'https://evil.example',
    })
    expect(settings.get('VAULT_ADDR')).toBe('https://evil.example')
  })

  test('set: a key outside the list is an error naming the key, never a silent override', async () => {
    const error = await load({
      AVP_APP_ENV_ALLOWLIST: 'VAULT_NAMESPACE, avp_kv_version',
      VAULT_ADDR: 'https://vault.internal',
      ARGOCD_ENV_VAULT_ADDR: 'https://evil.example',
      ARGOCD_ENV_VAULT_NAMESPACE: 'team-a',
      ARGOCD_ENV_AVP_KV_VERSION: '1',
      ARGOCD_ENV_HELM_VALUES: 'replicas: 2',
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      'ARGOCD_ENV_VAULT_ADDR: this plugin does not let Applications set VAULT_ADDR (AVP_APP_ENV_ALLOWLIST allows: AVP_KV_VERSION, VAULT_NAMESPACE)',
    ])
  })

  test('allowed keys still win over the sidecar environment', async () => {
    const settings = await load({
      AVP_APP_ENV_ALLOWLIST: 'VAULT_NAMESPACE',
      VAULT_NAMESPACE: 'root',
      ARGOCD_ENV_VAULT_NAMESPACE: 'team-a',
    })
    expect(settings.get('VAULT_NAMESPACE')).toBe('team-a')
  })

  test('empty list: no configuration key may come from an Application', async () => {
    await expect(load({ AVP_APP_ENV_ALLOWLIST: '', ARGOCD_ENV_AVP_TYPE: 'file' })).rejects.toThrow(
      'AVP_APP_ENV_ALLOWLIST allows: none',
    )
  })

  test('an Application can never widen the list itself', async () => {
    await expect(load({ ARGOCD_ENV_AVP_APP_ENV_ALLOWLIST: '*' })).rejects.toThrow(
      'an Application cannot change AVP_APP_ENV_ALLOWLIST',
    )
  })
})
