// Messages that point the right way (KV v1 forced on a KV v2 mount, a
// namespace that does not exist, http:// sent to a TLS port), and a large
// run that writes nothing at all to stderr.
import fs from 'node:fs'
import { generatePki } from '../support/fake-vault/certs'
import { startFakeVault, type Dialect, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { baseEnv, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

describe.each<Dialect>(['openbao', 'vault'])('%s', (dialect) => {
  let vault: FakeVault

  beforeAll(async () => {
    vault = await startFakeVault({ dialect })
    vault.putKv('secret', 'app', { password: 'canary-app-value' })
    vault.addPolicy('v2-data-only', { allow: ['secret/data/*'], deny: [] })
    vault.addApprole('data-only', 'canary-secret-data-only', { policies: ['v2-data-only'] })
    vault.addApprole('role-a', 'canary-secret-a')
  })

  afterAll(async () => {
    await vault.stop()
  })

  test('KV v1 forced on a KV v2 mount whose policy grants only data/: WRONG_ENGINE', async () => {
    const run = await runVault(
      secretManifest(
        { password: '<path:secret/app#password>' },
        { 'avp.kubernetes.io/kv-version': '1' },
      ),
      {
        VAULT_ADDR: vault.address,
        AVP_AUTH_TYPE: 'approle',
        AVP_ROLE_ID: 'data-only',
        AVP_SECRET_ID: 'canary-secret-data-only',
      },
    )
    expect(run.code).toBe(1)
    expect(errorLines(run.stderr)).toEqual([
      'error: WRONG_ENGINE: permission denied reading secret/app; mount secret/ is KV v2, but kv-version 1 comes from avp.kubernetes.io/kv-version; KV v2 reads secret/data/app',
    ])
  })

  test('a namespace that does not exist is named', async () => {
    const manifest = secretManifest({ password: '<path:secret/app#password>' })
    const byToken = await runVault(manifest, {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'token',
      VAULT_TOKEN: vault.rootToken,
      VAULT_NAMESPACE: 'team-x',
    })
    expect(byToken.code).toBe(1)
    expect(errorLines(byToken.stderr)).toEqual([
      'error: SECRET_NOT_FOUND: Vault namespace team-x (VAULT_NAMESPACE) was not found, or is hidden from this token, while looking up the mount of secret/app',
    ])
    const byLogin = await runVault(manifest, {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'approle',
      AVP_ROLE_ID: 'role-a',
      AVP_SECRET_ID: 'canary-secret-a',
      VAULT_NAMESPACE: 'team-x',
    })
    expect(errorLines(byLogin.stderr)).toEqual([
      'error: AUTH_FAILED: Vault namespace team-x (VAULT_NAMESPACE) was not found, or is hidden from this token, while logging in (approle at auth/approle)',
    ])
    expect(`${byToken.stderr}${byLogin.stderr}`).not.toMatch(/canary/)
  })

  test('a run with 60 distinct secrets writes nothing to stderr without --verbose', async () => {
    const entries: Record<string, string> = {}
    for (let i = 0; i < 60; i++) {
      vault.putKv('secret', `many/s${String(i)}`, { k: `canary-many-${String(i)}` })
      entries[`k${String(i)}`] = `<path:secret/many/s${String(i)}#k>`
    }
    const dir = testdir({ 'manifest.yaml': secretManifest(entries) })
    const run = await runCli(['generate', dir], {
      env: baseEnv({
        AVP_TYPE: 'vault',
        VAULT_ADDR: vault.address,
        AVP_AUTH_TYPE: 'approle',
        AVP_ROLE_ID: 'role-a',
        AVP_SECRET_ID: 'canary-secret-a',
        HOME: testdir(),
      }),
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('k59: canary-many-59')
  })
})

test('http:// sent to a TLS port suggests https://', async () => {
  const pki = generatePki()
  const vault = await startFakeVault({
    dialect: 'openbao',
    tls: {
      key: fs.readFileSync(pki.serverKey, 'utf8'),
      cert: fs.readFileSync(pki.serverCert, 'utf8'),
    },
  })
  try {
    const plain = vault.address.replace('https://', 'http://')
    const manifest = secretManifest({ password: '<path:secret/app#password>' })
    for (const auth of [
      { AVP_AUTH_TYPE: 'token', VAULT_TOKEN: vault.rootToken },
      { AVP_AUTH_TYPE: 'approle', AVP_ROLE_ID: 'r', AVP_SECRET_ID: 'canary-secret' },
    ]) {
      const run = await runVault(manifest, { VAULT_ADDR: plain, VAULT_CACERT: pki.caCert, ...auth })
      expect(run.code).toBe(1)
      const [line] = errorLines(run.stderr)
      expect(line).toMatch(/^error: UNAVAILABLE: Vault at http:\/\/127\.0\.0\.1:\d+ expects TLS/)
      expect(line).toContain(`set VAULT_ADDR to ${vault.address}`)
      expect(line).not.toMatch(/proxy/)
    }
  } finally {
    await vault.stop()
  }
})
