import { parseVaultConfig } from '../../../../src/backends/vault/parse-config'
import { settingsFromLayers } from '../../../../src/config/settings'

const CANARY = 'canary-credential-7f3a'

function parse(values: Record<string, string>, defaults: Record<string, string> = {}) {
  return parseVaultConfig(
    settingsFromLayers([
      { name: 'env', values: new Map(Object.entries(values)) },
      { name: 'default', values: new Map(Object.entries(defaults)) },
    ]),
  )
}

function issues(values: Record<string, string>): readonly string[] {
  const result = parse(values)
  if (result.ok) throw new Error('expected issues')
  return result.failures
}

const ADDR = { VAULT_ADDR: 'https://vault.example.com:8200/' }

test('reports every problem at once, by key', () => {
  expect(
    issues({
      AVP_AUTH_TYPE: 'approle',
      AVP_KV_VERSION: '3',
      VAULT_SKIP_VERIFY: 'yes',
      AVP_VAULT_CONCURRENCY: '0',
    }),
  ).toEqual([
    'VAULT_ADDR: required (the Vault server URL, e.g. https://vault.example.com:8200)',
    'VAULT_SKIP_VERIFY: expected true or false, got "yes"',
    'AVP_ROLE_ID and AVP_SECRET_ID: required for AVP_AUTH_TYPE=approle',
    'AVP_KV_VERSION: expected 1 or 2, got "3"',
    'AVP_VAULT_CONCURRENCY: expected a whole number from 1 to 256, got "0"',
  ])
})

test.each([
  [
    { AVP_AUTH_TYPE: 'aprole' },
    'AVP_AUTH_TYPE: expected one of approle|k8s|token|userpass|github|cert, got "aprole"',
  ],
  [{}, 'AVP_AUTH_TYPE: required; one of approle|k8s|token|userpass|github|cert'],
  [
    { AVP_AUTH_TYPE: 'approle', AVP_ROLE_ID: CANARY },
    'AVP_SECRET_ID: required for AVP_AUTH_TYPE=approle',
  ],
  [{ AVP_AUTH_TYPE: 'k8s' }, 'AVP_K8S_ROLE: required for AVP_AUTH_TYPE=k8s'],
  [
    { AVP_AUTH_TYPE: 'userpass', AVP_PASSWORD: CANARY },
    'AVP_USERNAME: required for AVP_AUTH_TYPE=userpass',
  ],
  [{ AVP_AUTH_TYPE: 'github' }, 'AVP_GITHUB_TOKEN: required for AVP_AUTH_TYPE=github'],
  [
    { AVP_AUTH_TYPE: 'cert' },
    'VAULT_CLIENT_CERT and VAULT_CLIENT_KEY: required for AVP_AUTH_TYPE=cert',
  ],
  [
    { AVP_AUTH_TYPE: 'token', VAULT_CLIENT_CERT: '/c.pem' },
    'VAULT_CLIENT_CERT and VAULT_CLIENT_KEY: set both or neither',
  ],
  [
    { AVP_AUTH_TYPE: 'token', AVP_VAULT_TIMEOUT: 'soon' },
    'AVP_VAULT_TIMEOUT: expected a number of seconds between 0 and 3600, got "soon"',
  ],
  [
    { AVP_AUTH_TYPE: 'approle', AVP_ROLE_ID: 'r', AVP_SECRET_ID: 's', AVP_MOUNT_PATH: '/' },
    'AVP_MOUNT_PATH: expected an auth mount such as auth/approle, got "/"',
  ],
])('%j', (values, issue) => {
  expect(issues({ ...ADDR, ...values })).toEqual([issue])
})

test.each([
  ['vault.example.com', 'VAULT_ADDR: expected an http:// or https:// URL, got "vault.example.com"'],
  ['ftp://vault', 'VAULT_ADDR: expected an http:// or https:// URL, got "ftp://vault"'],
  [
    `https://admin:${CANARY}@vault`,
    'VAULT_ADDR: must be a plain URL without user info, query or fragment',
  ],
])('VAULT_ADDR %s', (addr, issue) => {
  expect(issues({ VAULT_ADDR: addr, AVP_AUTH_TYPE: 'token' })).toEqual([issue])
})

test('cert auth needs https', () => {
  expect(
    issues({
      VAULT_ADDR: 'http://v:8200',
      AVP_AUTH_TYPE: 'cert',
      VAULT_CLIENT_CERT: '/c',
      VAULT_CLIENT_KEY: '/k',
    }),
  ).toEqual(['VAULT_ADDR: AVP_AUTH_TYPE=cert needs an https:// address'])
})

test('never echoes a credential, even in a bad value', () => {
  const result = parse({
    VAULT_ADDR: 'not a url',
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: CANARY,
    AVP_SECRET_ID: CANARY,
    VAULT_TOKEN: CANARY,
    AVP_KV_VERSION: 'x',
  })
  expect(JSON.stringify(result)).not.toContain(CANARY)
})

test('a full approle config, with defaults', () => {
  const result = parse({
    ...ADDR,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'r',
    AVP_SECRET_ID: CANARY,
  })
  expect(result.ok && result.config).toMatchObject({
    address: 'https://vault.example.com:8200',
    auth: { method: 'approle', mount: 'auth/approle' },
    tls: { skipVerify: false },
    concurrency: 16,
    requestTimeoutMs: 10_000,
  })
  // Credentials are Secret: a printed config shows [redacted].
  expect(JSON.stringify(result)).not.toContain(CANARY)
})

test.each([
  ['auth/my-approle', 'auth/my-approle'],
  ['my-approle', 'auth/my-approle'],
  ['/auth/team/approle/', 'auth/team/approle'],
])('AVP_MOUNT_PATH %s → %s', (mount, expected) => {
  const result = parse({
    ...ADDR,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'r',
    AVP_SECRET_ID: 's',
    AVP_MOUNT_PATH: mount,
  })
  expect(result.ok && result.config.auth).toMatchObject({ mount: expected })
})

test('AVP_K8S_MOUNT_PATH wins over AVP_MOUNT_PATH for k8s; the JWT path defaults to the service account token', () => {
  const result = parse({
    ...ADDR,
    AVP_AUTH_TYPE: 'k8s',
    AVP_K8S_ROLE: 'argocd',
    AVP_MOUNT_PATH: 'auth/other',
    AVP_K8S_MOUNT_PATH: 'auth/k8s-prod',
  })
  expect(result.ok && result.config.auth).toEqual({
    method: 'k8s',
    mount: 'auth/k8s-prod',
    role: 'argocd',
    jwtPath: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  })
})

test.each([
  ['true', true],
  ['1', true],
  ['T', true],
  ['false', false],
  ['0', false],
  ['F', false],
])('VAULT_SKIP_VERIFY=%s parses like the Vault CLI (node-vault bug 3)', (value, skip) => {
  const result = parse({ ...ADDR, AVP_AUTH_TYPE: 'token', VAULT_SKIP_VERIFY: value })
  expect(result.ok && result.config.tls.skipVerify).toBe(skip)
})

test("AVP_KV_VERSION from the config layer's AVP default is not an override: mounts are detected", () => {
  const detected = parse({ ...ADDR, AVP_AUTH_TYPE: 'token' }, { AVP_KV_VERSION: '2' })
  expect(detected.ok && detected.config.kvVersion).toBeUndefined()
  const forced = parse(
    { ...ADDR, AVP_AUTH_TYPE: 'token', AVP_KV_VERSION: '1' },
    { AVP_KV_VERSION: '2' },
  )
  expect(forced.ok && forced.config.kvVersion).toBe('1')
})

test('token auth without VAULT_TOKEN is valid: ~/.vault-token is read when a secret is needed', () => {
  const result = parse({
    ...ADDR,
    AVP_AUTH_TYPE: 'token',
    VAULT_NAMESPACE: 'team-a',
    AVP_TOKEN_CACHE_DIR: '/c',
  })
  expect(result.ok && result.config).toMatchObject({
    auth: { method: 'token' },
    namespace: 'team-a',
    tokenCacheDir: '/c',
  })
})
