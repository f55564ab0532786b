// `--secret-name` against a loopback HTTPS server that answers like the
// Kubernetes API, with a CA made by openssl (so this lives in the integration
// project: the unit project allows no child processes).
import { settingPrefixes } from '../../src/backends/registry'
import fs from 'node:fs'
import path from 'node:path'
import { inspect } from 'node:util'
import { loadSettings } from '../../src/config/load'
import { ConfigError } from '../../src/errors'
import { silentLog } from '../../src/log'
import { Redactor } from '../../src/secrets/redact'
import { generateTestPki, startFakeKubeApi } from '../support/fake-kube-api'
import type { FakeKubeApi } from '../support/fake-kube-api'
import { testdir } from '../support/testdir'

const TOKEN = 'canary-sa-token-eyJhbGciOi-91c3'
const VAULT_TOKEN = 'canary-vault-token-hvs-44e0'

let root: string
let api: FakeKubeApi
let goodSa: string

/** A service-account directory like the kubelet mounts: token, ca.crt, namespace. */
function serviceAccountDir(name: string, token: string, caCert: string): string {
  const dir = path.join(root, name)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'token'), token)
  fs.writeFileSync(path.join(dir, 'ca.crt'), caCert)
  fs.writeFileSync(path.join(dir, 'namespace'), 'argocd')
  return dir
}

function kubeEnv(saDir: string, extra: Record<string, string> = {}) {
  return {
    KUBERNETES_SERVICE_HOST: api.host,
    KUBERNETES_SERVICE_PORT: String(api.port),
    AVP_SERVICE_ACCOUNT_DIR: saDir,
    ...extra,
  }
}

/** The issues of the ConfigError that loading rejects with; asserts no credential shows anywhere. */
async function issuesOf(secretName: string, saDir: string): Promise<readonly string[]> {
  const error: unknown = await loadSettings({
    settingPrefixes: settingPrefixes(),
    env: kubeEnv(saDir),
    cwd: root,
    secretName,
    log: silentLog,
    registerSecret: () => undefined,
  }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  const shown = `${String(error)}\n${inspect(error)}\n${JSON.stringify(error)}`
  expect(shown).not.toContain(TOKEN)
  expect(shown).not.toContain('canary')
  return (error as ConfigError).issues
}

beforeAll(async () => {
  root = testdir()
  const pki = generateTestPki(path.join(root, 'pki'), 'cluster')
  const otherPki = generateTestPki(path.join(root, 'pki'), 'other')
  api = await startFakeKubeApi(pki, TOKEN)
  goodSa = serviceAccountDir('sa', `${TOKEN}\n`, pki.caCert)
  serviceAccountDir('sa-wrong-ca', TOKEN, otherPki.caCert)
  serviceAccountDir('sa-wrong-token', 'canary-other-token', pki.caCert)
  api.setSecret('argocd', 'avp-config', {
    AVP_TYPE: 'file',
    avp_file_path: 'secrets.yaml',
    VAULT_TOKEN,
    VAULT_ADDR: 'https://from-secret:8200',
  })
  api.setSecret('tenant-a', 'avp', { AVP_TYPE: 'vault' })
  api.forbid('kube-system', 'avp')
}, 30_000)

afterAll(async () => {
  await api.close()
})

test('reads the Secret with the bearer token and decodes its data', async () => {
  const redactor = new Redactor()
  const before = api.requests.length
  const settings = await loadSettings({
    settingPrefixes: settingPrefixes(),
    env: kubeEnv(goodSa),
    cwd: root,
    secretName: 'avp-config',
    log: silentLog,
    registerSecret: (value) => {
      redactor.add(value)
    },
  })
  expect(settings.get('AVP_TYPE')).toBe('file')
  expect(settings.get('AVP_FILE_PATH')).toBe('secrets.yaml')
  expect(settings.sourceOf('VAULT_ADDR')).toBe('secret')
  expect(api.requests.slice(before)).toEqual([
    {
      method: 'GET',
      path: '/api/v1/namespaces/argocd/secrets/avp-config',
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/json',
    },
  ])
  // The token and the Secret's credentials are registered for redaction.
  expect(redactor.redact(`${TOKEN} ${VAULT_TOKEN} https://from-secret:8200`)).toBe(
    '*** *** https://from-secret:8200',
  )
})

test('NAMESPACE:NAME, merged under a config file and ARGOCD_ENV_', async () => {
  fs.writeFileSync(path.join(root, 'avp.env'), 'AVP_AUTH_TYPE=token\n')
  const settings = await loadSettings({
    settingPrefixes: settingPrefixes(),
    env: kubeEnv(goodSa, {
      AVP_APP_ENV_ALLOWLIST: 'VAULT_NAMESPACE',
      ARGOCD_ENV_VAULT_NAMESPACE: 'team-a',
    }),
    cwd: root,
    configPath: 'avp.env',
    secretName: 'tenant-a:avp',
    log: silentLog,
    registerSecret: () => undefined,
  })
  expect(settings.keys()).toEqual([
    'AVP_APP_ENV_ALLOWLIST',
    'AVP_AUTH_TYPE',
    'AVP_KV_VERSION',
    'AVP_SERVICE_ACCOUNT_DIR',
    'AVP_TYPE',
    'VAULT_NAMESPACE',
  ])
  expect(settings.sourceOf('AVP_AUTH_TYPE')).toBe('config file')
  expect(settings.sourceOf('VAULT_NAMESPACE')).toBe('ARGOCD_ENV_')
  expect(settings.get('AVP_TYPE')).toBe('vault')
  expect(api.requests.at(-1)?.path).toBe('/api/v1/namespaces/tenant-a/secrets/avp')
})

test('403: the service account may not read the Secret', async () => {
  expect(await issuesOf('kube-system:avp', goodSa)).toEqual([
    '--secret-name: the service account may not read secret kube-system/avp: grant get on secrets',
  ])
})

test('404: the Secret does not exist', async () => {
  expect(await issuesOf('missing', goodSa)).toEqual([
    '--secret-name: secret argocd/missing not found',
  ])
})

test('401: the token is rejected', async () => {
  expect(await issuesOf('avp-config', path.join(root, 'sa-wrong-token'))).toEqual([
    '--secret-name: the Kubernetes API rejected the service account token (401) reading secret argocd/avp-config',
  ])
})

test('a CA that did not sign the server certificate fails TLS verification', async () => {
  const before = api.requests.length
  const saDir = path.join(root, 'sa-wrong-ca')
  const issues = await issuesOf('avp-config', saDir)
  expect(issues).toHaveLength(1)
  expect(issues[0]).toMatch(
    new RegExp(
      `^--secret-name: TLS verification of the Kubernetes API at 127\\.0\\.0\\.1:${String(api.port)} failed \\([A-Z_]+\\); check ${saDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/ca\\.crt$`,
    ),
  )
  // The token was never sent to the unverified server.
  expect(api.requests.length).toBe(before)
})
