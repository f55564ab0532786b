// A token Vault no longer accepts, answered both ways: Vault's 403 with
// `invalid token`, and OpenBao's plain 403 `permission denied`, which reads
// the same as a policy refusal. The plugin tells them apart with one
// auth/token/lookup-self per token.
import { startFakeVault, type Dialect, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

const MANY = secretManifest({
  a: '<path:secret/data/app#password>',
  b: '<path:secret/data/other#password>',
  c: '<path:secret/third#password>',
  d: '<path:kv/legacy#password>',
})

describe.each<Dialect>(['openbao', 'vault'])('%s', (dialect) => {
  let vault: FakeVault

  beforeAll(async () => {
    vault = await startFakeVault({ dialect })
    for (const name of ['app', 'other', 'third']) {
      vault.putKv('secret', name, { password: `canary-${name}-value` })
    }
    vault.putKv('kv', 'legacy', { password: 'canary-legacy-value' })
    vault.addApprole('role-a', 'canary-secret-a')
  })

  afterAll(async () => {
    await vault.stop()
  })

  beforeEach(() => {
    vault.resetRequests()
  })

  const approle = (home: string) => ({
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-a',
    AVP_SECRET_ID: 'canary-secret-a',
    HOME: home,
  })

  test('a revoked cached token: exactly one fresh login, then every secret resolves', async () => {
    const home = testdir()
    expect((await runVault(MANY, approle(home))).code).toBe(0)
    vault.revokeIssuedTokens()
    vault.resetRequests()
    const run = await runVault(MANY, approle(home))
    expect(errorLines(run.stderr)).toEqual([])
    expect(run.code).toBe(0)
    for (const name of ['app', 'other', 'third', 'legacy'])
      expect(run.stdout).toContain(`canary-${name}-value`)
    expect(vault.logins()).toHaveLength(1)
    expect(run.stderr).toContain('debug: token-cache action="remove"')
    // Vault says `invalid token` itself; OpenBao needs one check, shared by all calls.
    expect(vault.count('auth/token/lookup-self')).toBe(dialect === 'openbao' ? 1 : 0)
    // The new token is cached: the next run logs in no more.
    vault.resetRequests()
    expect((await runVault(MANY, approle(home))).code).toBe(0)
    expect(vault.logins()).toHaveLength(0)
  })

  test('a static VAULT_TOKEN that Vault refuses is AUTH_FAILED, with no login', async () => {
    const run = await runVault(MANY, {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'token',
      VAULT_TOKEN: 'hvs.canary-revoked-static',
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    const lines = errorLines(run.stderr)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      expect(line).toMatch(
        /^error: AUTH_FAILED: the Vault token was refused \(revoked, expired or wrong\)( \(and \d+ more|$)/,
      )
    }
    expect(vault.logins()).toHaveLength(0)
    expect(run.stderr).not.toMatch(/canary/)
  })

  test('a good cached token on a path the policy denies: ACCESS_DENIED, the cache kept', async () => {
    vault.addPolicy('no-other', { allow: ['secret/*', 'kv/*'], deny: ['secret/data/other'] })
    vault.addApprole('role-b', 'canary-secret-b', { policies: ['no-other'] })
    const home = testdir()
    const env = { ...approle(home), AVP_ROLE_ID: 'role-b', AVP_SECRET_ID: 'canary-secret-b' }
    await runVault(MANY, env)
    vault.resetRequests()
    const run = await runVault(MANY, env)
    expect(run.code).toBe(1)
    expect(errorLines(run.stderr)).toEqual([
      'error: ACCESS_DENIED: permission denied reading secret/data/other',
    ])
    expect(vault.logins()).toHaveLength(0)
    expect(run.stderr).not.toContain('token-cache action="remove"')
  })
})
