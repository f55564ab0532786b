import { parseAzureConfig } from '../../../../src/backends/azurekeyvault/config'
import { settingsFromLayers } from '../../../../src/config/settings'

const settings = (env: Record<string, string>, app: Record<string, string> = {}) =>
  settingsFromLayers([
    { name: 'ARGOCD_ENV_', values: new Map(Object.entries(app)) },
    { name: 'env', values: new Map(Object.entries(env)) },
  ])

const IDS = { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' }

test('the credential follows DefaultAzureCredential: secret, certificate, workload identity, managed identity', () => {
  const kind = (env: Record<string, string>) => {
    const result = parseAzureConfig(settings(env))
    return result.ok ? result.config.credential.kind : result.failures
  }
  expect(kind({ ...IDS, AZURE_CLIENT_SECRET: 's', AZURE_FEDERATED_TOKEN_FILE: '/f' })).toBe(
    'client-secret',
  )
  expect(kind({ ...IDS, AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' })).toBe('client-certificate')
  expect(kind({ ...IDS, AZURE_FEDERATED_TOKEN_FILE: '/f' })).toBe('workload-identity')
  expect(kind({ AZURE_CLIENT_ID: 'c' })).toBe('managed-identity')
  expect(kind({})).toBe('managed-identity')
  expect(kind({ AZURE_CLIENT_SECRET: 's' })).toEqual([
    'AZURE_CLIENT_SECRET: a service principal needs AZURE_TENANT_ID and AZURE_CLIENT_ID as well',
  ])
  expect(kind({ AZURE_FEDERATED_TOKEN_FILE: '/f', AZURE_CLIENT_ID: 'c' })).toEqual([
    'AZURE_FEDERATED_TOKEN_FILE: workload identity needs AZURE_TENANT_ID and AZURE_CLIENT_ID as well',
  ])
})

test('the client secret is held in a Secret, never printable', () => {
  const result = parseAzureConfig(settings({ ...IDS, AZURE_CLIENT_SECRET: 'canary-s' }))
  expect(JSON.stringify(result)).not.toContain('canary-s')
})

test('vault URL template and authority: https only, {vault} required; the default is the public cloud', () => {
  const ok = parseAzureConfig(settings({}))
  expect(ok).toMatchObject({
    ok: true,
    config: { vaultUrlTemplate: 'https://{vault}.vault.azure.net', customVaultUrl: false },
  })
  expect(
    parseAzureConfig(
      settings({
        AVP_AZURE_VAULT_URL_TEMPLATE: 'https://{vault}.vault.azure.cn',
        AZURE_AUTHORITY_HOST: 'https://login.chinacloudapi.cn',
      }),
    ),
  ).toMatchObject({
    ok: true,
    config: { customVaultUrl: true, authorityHost: 'https://login.chinacloudapi.cn' },
  })
  const bad = parseAzureConfig(
    settings({
      AVP_AZURE_VAULT_URL_TEMPLATE: 'http://{vault}.example',
      AZURE_AUTHORITY_HOST: 'login.example',
    }),
  )
  expect(bad).toEqual({
    ok: false,
    failures: [
      'AVP_AZURE_VAULT_URL_TEMPLATE: expected an https:// URL without user, password or query',
      'AZURE_AUTHORITY_HOST: expected an https:// URL without user, password or query',
    ],
  })
  expect(
    parseAzureConfig(settings({ AVP_AZURE_VAULT_URL_TEMPLATE: 'https://kv.example' })),
  ).toEqual({
    ok: false,
    failures: [
      'AVP_AZURE_VAULT_URL_TEMPLATE: expected a URL with {vault} for the vault name, such as https://{vault}.vault.azure.net',
    ],
  })
})

test('an Application can set none of the keys, whatever the allow-list', () => {
  const keys = [
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_CLIENT_CERTIFICATE_PATH',
    'AZURE_CLIENT_CERTIFICATE_PASSWORD',
    'AZURE_FEDERATED_TOKEN_FILE',
    'AZURE_AUTHORITY_HOST',
    'AVP_AZURE_VAULT_URL_TEMPLATE',
  ]
  const result = parseAzureConfig(settings({}, Object.fromEntries(keys.map((k) => [k, 'x']))))
  expect(result.ok ? [] : result.failures.map((i) => i.split(':')[0])).toEqual([
    'AVP_AZURE_VAULT_URL_TEMPLATE',
    'AZURE_AUTHORITY_HOST',
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_CLIENT_CERTIFICATE_PATH',
    'AZURE_CLIENT_CERTIFICATE_PASSWORD',
    'AZURE_FEDERATED_TOKEN_FILE',
  ])
})
