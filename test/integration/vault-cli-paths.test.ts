// Which paths are read, and how: namespace-relative paths in a child
// namespace, refusals that stay with their own path, and paths that are
// never read because they are not KV secrets (the plugin's own token).
import { startFakeVault, type Dialect, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

describe.each<Dialect>(['openbao', 'vault'])('%s', (dialect) => {
  let vault: FakeVault

  beforeAll(async () => {
    vault = await startFakeVault({ dialect })
    vault.addNamespace('team-a/child')
    vault.addKvMount('secret', 2, { namespace: 'team-a/child' })
    vault.putKv('secret', 'app', { key: 'canary-child-value' }, 'team-a/child')
    vault.addKvMount('secret', 2, { namespace: 'team-a' })
    vault.putKv('secret', 'app', { key: 'canary-team-a-value' }, 'team-a')
    vault.addApprole('team-a-role', 'canary-secret-team-a', { namespace: 'team-a' })
    vault.addKvMount('team/kv', 2)
    vault.putKv('team/kv', 'app', { key: 'canary-team-kv-value' })
    vault.addApprole('role-a', 'canary-secret-a')
    vault.addEngine('transit', 'transit')
    vault.addEngine('sys-like', 'system', 'team-a')
  })

  afterAll(async () => {
    await vault.stop()
  })

  beforeEach(() => {
    vault.resetRequests()
  })

  const approle = (extra: Record<string, string> = {}) => ({
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-a',
    AVP_SECRET_ID: 'canary-secret-a',
    ...extra,
  })
  const teamA = () =>
    approle({
      VAULT_NAMESPACE: 'team-a',
      AVP_ROLE_ID: 'team-a-role',
      AVP_SECRET_ID: 'canary-secret-team-a',
    })

  test('VAULT_NAMESPACE=team-a reads <path:child/secret/app> from team-a/child', async () => {
    const run = await runVault(
      secretManifest({ child: '<path:child/secret/app#key>', own: '<path:secret/app#key>' }),
      teamA(),
    )
    expect(errorLines(run.stderr)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('child: canary-child-value')
    expect(run.stdout).toContain('own: canary-team-a-value')
    const reads = vault.requests.filter((r) => r.path.endsWith('/data/app'))
    expect(reads.map((r) => [r.namespace, r.path]).sort()).toEqual([
      ['team-a', 'child/secret/data/app'],
      ['team-a', 'secret/data/app'],
    ])
  })

  test.each([
    ['refused first', ['<path:team/other/x#k>', '<path:team/kv/app#key>']],
    ['readable first', ['<path:team/kv/app#key>', '<path:team/other/x#k>']],
  ])('a refused mount lookup does not fail its siblings (%s)', async (_order, [first, second]) => {
    const manifest = secretManifest({ a: first ?? '', b: second ?? '' })
    for (const concurrency of ['1', '16']) {
      const run = await runVault(manifest, approle({ AVP_VAULT_CONCURRENCY: concurrency }))
      expect(run.code).toBe(1)
      const lines = errorLines(run.stderr)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/team\/other\/x/)
      expect(lines[0]).not.toMatch(/team\/kv\/app/)
    }
  })

  test.each([
    ['an annotation', { 'avp.kubernetes.io/kv-version': '1' }, {}],
    ['AVP_KV_VERSION', {}, { AVP_KV_VERSION: '1' }],
    ['nothing', {}, {}],
  ])(
    "the plugin's own token is never printed (kv-version 1 from %s)",
    async (_from, annotations, env) => {
      const paths = {
        lookup: '<path:auth/token/lookup-self#id>',
        nested: '<path:team-a/auth/token/lookup-self#id>',
        sys: '<path:sys/internal/ui/mounts/secret#path>',
        cubby: '<path:cubbyhole/app#k>',
        identity: '<path:identity/entity/id#k>',
        transit: '<path:transit/keys/app#name>',
        namespaced: '<path:team-a/sys-like/x#k>',
      }
      const run = await runVault(secretManifest(paths, annotations), approle(env))
      expect(run.code).toBe(1)
      expect(run.stdout).toBe('')
      const lines = errorLines(run.stderr)
      expect(lines).toHaveLength(Object.keys(paths).length)
      for (const line of lines) expect(line).toMatch(/^error: PATH_NOT_ALLOWED: /)
      expect(vault.count('auth/token/lookup-self')).toBe(0)
      expect(vault.count('team-a/auth/token/lookup-self')).toBe(0)
      // Only the lookups of the paths with a namespace or mount in front were made.
      const asked = vault.mountLookups().map((r) => r.path.replace('sys/internal/ui/mounts/', ''))
      expect(asked.sort()).toEqual([
        'team-a/auth/token/lookup-self',
        'team-a/sys-like/x',
        'transit/keys/app',
      ])
      expect(run.stderr).not.toMatch(/canary/)
    },
  )

  test('with only refused paths, the plugin does not even log in', async () => {
    const run = await runVault(
      secretManifest({ a: '<path:auth/token/lookup-self#id>' }),
      approle({ HOME: testdir() }),
    )
    expect(run.code).toBe(1)
    expect(errorLines(run.stderr)).toEqual([
      "error: PATH_NOT_ALLOWED: auth/token/lookup-self is under auth/, which holds Vault's own data, not a KV secrets engine; only KV secrets are read",
    ])
    expect(vault.requests).toHaveLength(0)
  })
})
