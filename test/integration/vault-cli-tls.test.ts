// TLS like the Vault CLI: VAULT_CACERT, VAULT_CAPATH, VAULT_SKIP_VERIFY
// (parsed as a boolean, unlike node-vault) and cert auth, against an HTTPS
// fake Vault whose certificates are generated here with the openssl CLI.
import fs from 'node:fs'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { generatePki, type TestPki } from '../support/fake-vault/certs'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

let pki: TestPki
let vault: FakeVault
const ONE = secretManifest({ password: '<path:secret/data/app#password>' })
const TOKEN = 'hvs.canary-tls-token'

beforeAll(async () => {
  pki = generatePki()
  vault = await startFakeVault({
    tls: {
      key: fs.readFileSync(pki.serverKey, 'utf8'),
      cert: fs.readFileSync(pki.serverCert, 'utf8'),
      clientCa: fs.readFileSync(pki.caCert, 'utf8'),
    },
  })
  vault.putKv('secret', 'app', { password: 'canary-tls-value' })
  vault.addToken(TOKEN)
})

afterAll(async () => {
  await vault.stop()
})

beforeEach(() => {
  vault.resetRequests()
})

const tokenEnv = (extra: Record<string, string>) => ({
  VAULT_ADDR: vault.address,
  AVP_AUTH_TYPE: 'token',
  VAULT_TOKEN: TOKEN,
  ...extra,
})

test('VAULT_CACERT trusts the self-signed CA', async () => {
  const run = await runVault(ONE, tokenEnv({ VAULT_CACERT: pki.caCert }))
  expect(errorLines(run.stderr)).toEqual([])
  expect(run.stdout).toContain('password: canary-tls-value')
})

test('VAULT_CAPATH: a directory of PEM files', async () => {
  const dir = testdir({ 'other.txt': 'not a certificate' })
  fs.copyFileSync(pki.caCert, path.join(dir, 'ca.pem'))
  const run = await runVault(ONE, tokenEnv({ VAULT_CAPATH: dir }))
  expect(errorLines(run.stderr)).toEqual([])
  expect(run.code).toBe(0)
})

test.each([
  ['no CA at all', {}],
  [
    'VAULT_SKIP_VERIFY=false still verifies (node-vault skipped whenever the variable was set)',
    { VAULT_SKIP_VERIFY: 'false' },
  ],
  ['VAULT_SKIP_VERIFY=0', { VAULT_SKIP_VERIFY: '0' }],
])('%s: the self-signed server is refused', async (_what, extra) => {
  const run = await runVault(ONE, tokenEnv(extra))
  expect(run.code).toBe(1)
  expect(run.stdout).toBe('')
  expect(errorLines(run.stderr)).toEqual([
    `error: UNAVAILABLE: TLS verification of Vault at ${vault.address} failed looking up the mount of secret/data/app: SELF_SIGNED_CERT_IN_CHAIN (set VAULT_CACERT or VAULT_CAPATH to the CA of Vault's certificate)`,
  ])
  // A TLS failure is not retried, and no request reached Vault.
  expect(vault.requests).toHaveLength(0)
  expect(run.stderr).not.toMatch(/canary/)
})

test('VAULT_SKIP_VERIFY=true connects without a CA', async () => {
  const run = await runVault(ONE, tokenEnv({ VAULT_SKIP_VERIFY: 'true' }))
  expect(errorLines(run.stderr)).toEqual([])
  expect(run.code).toBe(0)
})

test('a missing VAULT_CACERT file is named', async () => {
  const run = await runVault(ONE, tokenEnv({ VAULT_CACERT: '/nonexistent/ca.pem' }))
  expect(errorLines(run.stderr)).toEqual([
    'error: CONFIG_INVALID: cannot read VAULT_CACERT file /nonexistent/ca.pem: ENOENT',
  ])
  expect(run.stdout).toBe('')
})

describe('cert auth', () => {
  beforeAll(() => {
    vault.addCertRole('argocd', pki.clientFingerprint)
    vault.addCertRole('web', pki.clientFingerprint, { mount: 'cert-prod' })
  })

  test.each([
    ['default mount', {}, 'auth/cert/login'],
    [
      'AVP_MOUNT_PATH and a role name',
      { AVP_MOUNT_PATH: 'auth/cert-prod', AVP_CERT_ROLE: 'web' },
      'auth/cert-prod/login',
    ],
  ])('%s', async (_what, extra, loginPath) => {
    const run = await runVault(ONE, {
      VAULT_ADDR: vault.address,
      VAULT_CACERT: pki.caCert,
      VAULT_CLIENT_CERT: pki.clientCert,
      VAULT_CLIENT_KEY: pki.clientKey,
      AVP_AUTH_TYPE: 'cert',
      ...extra,
    })
    expect(errorLines(run.stderr)).toEqual([])
    expect(run.stdout).toContain('password: canary-tls-value')
    expect(vault.logins().map((r) => `${r.path} clientCert=${String(r.clientCert)}`)).toEqual([
      `${loginPath} clientCert=true`,
    ])
    expect(run.stderr).not.toMatch(/canary|PRIVATE KEY/)
  })

  test('an unknown role name fails the login with Vault’s reason', async () => {
    const run = await runVault(ONE, {
      VAULT_ADDR: vault.address,
      VAULT_CACERT: pki.caCert,
      VAULT_CLIENT_CERT: pki.clientCert,
      VAULT_CLIENT_KEY: pki.clientKey,
      AVP_AUTH_TYPE: 'cert',
      AVP_CERT_ROLE: 'nobody',
      AVP_TOKEN_CACHE_DIR: testdir(),
    })
    expect(errorLines(run.stderr)).toEqual([
      'error: AUTH_FAILED: Vault login failed (cert at auth/cert): invalid certificate or no client certificate supplied',
    ])
  })
})
