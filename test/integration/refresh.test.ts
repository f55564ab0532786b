// `refresh` through the built CLI against the loopback Kubernetes API (Argo CD
// Applications and their live objects) and the Vault test server: only the
// apps whose recorded secret versions moved are hard-refreshed, each distinct
// secret costs one metadata call however many apps share it, apps without
// the plugin are ignored, --dry-run patches nothing, a deleted secret
// refreshes its app, RBAC denials name what is missing, and no value or
// token is ever printed. Each test uses its own Argo CD namespace and secrets.
import fs from 'node:fs'
import { startInClusterFake, type FakeKubeApi } from '../support/fake-kube-api'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'

const TOKEN = 'canary-sa-token-refresh-5b1e'
const VERSIONS = 'argocd-secret-plugin.io/secret-versions'
const REFRESH = 'argocd.argoproj.io/refresh'
const PARTIAL = 'as=PartialObjectMetadata'

let api: FakeKubeApi
let vault: FakeVault
let kubeEnv: Readonly<Record<string, string>>

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  ;({ api, env: kubeEnv } = await startInClusterFake(testdir(), TOKEN))
  vault = await startFakeVault()
  api.addApiResource({
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    namespaced: true,
  })
}, 30_000)

afterAll(async () => {
  await api.close()
  await vault.stop()
})

beforeEach(() => {
  api.reset()
  vault.resetRequests()
})

interface Live {
  readonly kind: 'Deployment' | 'ConfigMap' | 'Secret' | 'Widget'
  readonly namespace: string
  readonly name: string
  /** The secret-versions annotation, as `generate` writes it. */
  readonly recorded?: Readonly<Record<string, string>>
}

const KINDS = {
  Deployment: { group: 'apps', version: 'v1', base: '/apis/apps/v1', plural: 'deployments' },
  ConfigMap: { group: '', version: 'v1', base: '/api/v1', plural: 'configmaps' },
  Secret: { group: '', version: 'v1', base: '/api/v1', plural: 'secrets' },
  Widget: { group: 'example.com', version: 'v1', base: '/apis/example.com/v1', plural: 'widgets' },
} as const

function livePath(live: Pick<Live, 'kind' | 'namespace' | 'name'>): string {
  const k = KINDS[live.kind]
  return `${k.base}/namespaces/${live.namespace}/${k.plural}/${live.name}`
}

/** An Application in `argoNs` with its live objects stored in the fake API. */
function addApp(
  argoNs: string,
  name: string,
  live: readonly Live[],
  source: Record<string, unknown> = { source: { plugin: { name: 'argocd-secret-plugin' } } },
): void {
  for (const object of live) {
    api.setObject(livePath(object), {
      apiVersion: KINDS[object.kind].group === '' ? 'v1' : `${KINDS[object.kind].group}/v1`,
      kind: object.kind,
      metadata: {
        name: object.name,
        namespace: object.namespace,
        annotations:
          object.recorded === undefined ? {} : { [VERSIONS]: JSON.stringify(object.recorded) },
      },
      // A value the refresh must never see: objects are read metadata-only.
      data: { password: Buffer.from('canary-live-value').toString('base64') },
    })
  }
  api.setApplication(argoNs, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: argoNs },
    spec: {
      destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' },
      ...source,
    },
    status: {
      resources: live.map((l) => ({
        group: KINDS[l.kind].group,
        version: KINDS[l.kind].version,
        kind: l.kind,
        namespace: l.namespace,
        name: l.name,
        status: 'Synced',
      })),
    },
  })
}

function refresh(argoNs: string, args: string[] = [], env: Record<string, string> = {}) {
  return runCli(['refresh', '--namespace', argoNs, ...args], {
    env: baseEnv({
      HOME: testdir(),
      ...kubeEnv,
      AVP_TYPE: 'vault',
      AVP_AUTH_TYPE: 'token',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN: vault.rootToken,
      ...env,
    }),
  })
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '')
}

function expectNoLeak(result: CliResult): void {
  const all = `${result.stdout}\n${result.stderr}`
  expect(all).not.toContain('canary-value')
  expect(all).not.toContain('canary-live-value')
  expect(all).not.toContain(TOKEN)
  expect(all).not.toContain(vault.rootToken)
  expect(all).not.toContain('canary-server-message')
}

const annotationsOf = (ns: string, name: string): Record<string, string> =>
  (api.application(ns, name)?.['metadata'] as { annotations?: Record<string, string> })
    .annotations ?? {}

/** Four apps sharing `shared`, one with `solo`, one without the plugin; versions as recorded now. */
function sharedWorld(ns: string, prefix: string): void {
  const shared = `secret/data/${prefix}-shared`
  const solo = `secret/data/${prefix}-solo`
  vault.putKv('secret', `${prefix}-shared`, { password: 'canary-value-shared-1' })
  vault.putKv('secret', `${prefix}-solo`, { token: 'canary-value-solo-1' })
  for (const app of ['app-a', 'app-b', 'app-c', 'app-d']) {
    addApp(ns, app, [
      {
        kind: 'Deployment',
        namespace: `${prefix}-${app}`,
        name: 'web',
        recorded: { [shared]: '1' },
      },
      { kind: 'ConfigMap', namespace: `${prefix}-${app}`, name: 'plain' },
    ])
  }
  // Multi-source, and a kind known only through API discovery.
  addApp(
    ns,
    'app-solo',
    [{ kind: 'Widget', namespace: `${prefix}-solo`, name: 'w', recorded: { [solo]: '1' } }],
    { sources: [{ helm: {} }, { plugin: { name: 'argocd-secret-plugin' } }] },
  )
  addApp(
    ns,
    'not-ours',
    [{ kind: 'Secret', namespace: `${prefix}-other`, name: 's', recorded: { [solo]: '0' } }],
    { source: { plugin: { name: 'some-other-plugin' } } },
  )
}

test('nothing changed: no patch, one metadata call per distinct secret, objects read metadata-only', async () => {
  sharedWorld('argo-same', 'same')
  const result = await refresh('argo-same')
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(lines(result.stdout)).toEqual([
    '5 application(s) use argocd-secret-plugin, 9 object(s) read, 2 secret(s) checked, 0 refreshed',
  ])
  expect(api.patches).toEqual([])
  expect(vault.count('secret/metadata/same-shared', 'GET')).toBe(1)
  expect(vault.count('secret/metadata/same-solo', 'GET')).toBe(1)
  // Metadata only: no data read, and every object asked for PartialObjectMetadata.
  expect(vault.requests.filter((r) => r.path.startsWith('secret/data/'))).toEqual([])
  const objectGets = api.requests.filter((r) => r.path.includes('/namespaces/same-'))
  expect(objectGets).toHaveLength(9)
  expect(objectGets.every((r) => r.accept?.includes(PARTIAL) === true)).toBe(true)
  expectNoLeak(result)
})

test('one of many shared secrets rotated: only its apps are patched, one call for it however many share it', async () => {
  sharedWorld('argo-rot', 'rot')
  vault.putKv('secret', 'rot-shared', { password: 'canary-value-shared-2' })
  const result = await refresh('argo-rot')
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(lines(result.stdout)).toEqual([
    'refreshed app-a: secret/data/rot-shared moved from version 1 to 2',
    'refreshed app-b: secret/data/rot-shared moved from version 1 to 2',
    'refreshed app-c: secret/data/rot-shared moved from version 1 to 2',
    'refreshed app-d: secret/data/rot-shared moved from version 1 to 2',
    '5 application(s) use argocd-secret-plugin, 9 object(s) read, 2 secret(s) checked, 4 refreshed',
  ])
  expect(vault.count('secret/metadata/rot-shared', 'GET')).toBe(1)
  expect(vault.count('secret/metadata/rot-solo', 'GET')).toBe(1)
  expect(api.patches.map((p) => p.name).sort()).toEqual(['app-a', 'app-b', 'app-c', 'app-d'])
  expect(api.patches.every((p) => p.contentType === 'application/merge-patch+json')).toBe(true)
  expect(annotationsOf('argo-rot', 'app-a')[REFRESH]).toBe('hard')
  expect(annotationsOf('argo-rot', 'app-solo')[REFRESH]).toBeUndefined()
  expect(annotationsOf('argo-rot', 'not-ours')[REFRESH]).toBeUndefined()
  expectNoLeak(result)

  // Argo CD removes its annotation after the refresh; the app is not synced
  // yet, so the next run must not hard-refresh it again for the same move.
  api.reset()
  const again = await refresh('argo-rot')
  expect(again.code).toBe(0)
  expect(api.patches).toEqual([])
  expect(lines(again.stdout)[0]).toBe(
    'pending app-a: refreshed before for this change, not synced yet: secret/data/rot-shared moved from version 1 to 2',
  )
})

test('an app that does not use the plugin is ignored: its objects are not read, it is never patched', async () => {
  sharedWorld('argo-ign', 'ign')
  vault.putKv('secret', 'ign-solo', { token: 'canary-value-solo-2' })
  const result = await refresh('argo-ign')
  expect(result.code).toBe(0)
  expect(lines(result.stdout)[0]).toBe(
    'refreshed app-solo: secret/data/ign-solo moved from version 1 to 2',
  )
  expect(api.patches.map((p) => p.name)).toEqual(['app-solo'])
  expect(
    api.countPath('GET', livePath({ kind: 'Secret', namespace: 'ign-other', name: 's' })),
  ).toBe(0)
  // The operator can name another plugin: then only that one's apps count.
  api.reset()
  const other = await refresh('argo-ign', ['--plugin-name', 'some-other-plugin', '--dry-run'])
  expect(other.code).toBe(0)
  expect(lines(other.stdout)).toEqual([
    'would refresh not-ours: secret/data/ign-solo moved from version 0 to 2',
    '1 application(s) use some-other-plugin, 1 object(s) read, 1 secret(s) checked, 1 to refresh (dry run)',
  ])
})

test('--dry-run lists what it would refresh and patches nothing', async () => {
  sharedWorld('argo-dry', 'dry')
  vault.putKv('secret', 'dry-shared', { password: 'canary-value-shared-2' })
  const result = await refresh('argo-dry', ['--dry-run'])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(lines(result.stdout)).toEqual([
    'would refresh app-a: secret/data/dry-shared moved from version 1 to 2',
    'would refresh app-b: secret/data/dry-shared moved from version 1 to 2',
    'would refresh app-c: secret/data/dry-shared moved from version 1 to 2',
    'would refresh app-d: secret/data/dry-shared moved from version 1 to 2',
    '5 application(s) use argocd-secret-plugin, 9 object(s) read, 2 secret(s) checked, 4 to refresh (dry run)',
  ])
  expect(api.patches).toEqual([])
  expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([])
  expect(annotationsOf('argo-dry', 'app-a')[REFRESH]).toBeUndefined()
})

test('a deleted secret refreshes its apps, so they show the failure', async () => {
  vault.putKv('secret', 'del-gone', { password: 'canary-value-gone' })
  vault.putKv('secret', 'del-kept', { password: 'canary-value-kept' })
  addApp('argo-del', 'uses-gone', [
    {
      kind: 'Secret',
      namespace: 'del',
      name: 'creds',
      recorded: { 'secret/data/del-gone': '1', 'secret/data/del-kept': '1' },
    },
  ])
  addApp('argo-del', 'uses-kept', [
    { kind: 'Secret', namespace: 'del', name: 'other', recorded: { 'secret/data/del-kept': '1' } },
  ])
  vault.deleteSecret('secret', 'del-gone')
  const result = await refresh('argo-del')
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(lines(result.stdout)).toEqual([
    'refreshed uses-gone: secret/data/del-gone no longer exists (recorded version 1)',
    '2 application(s) use argocd-secret-plugin, 2 object(s) read, 2 secret(s) checked, 1 refreshed',
  ])
  expect(api.patches.map((p) => p.name)).toEqual(['uses-gone'])
  expect(annotationsOf('argo-del', 'uses-gone')[REFRESH]).toBe('hard')
})

test('a recorded path the app may not read (operator scoping policy) is never asked about', async () => {
  vault.putKv('secret', 'team-a/db', { password: 'canary-value-a1' })
  vault.putKv('secret', 'team-b/db', { password: 'canary-value-b1' })
  // The author of team-a's app wrote another team's path into the annotation by hand.
  addApp(
    'argo-scope',
    'team-a-app',
    [
      {
        kind: 'ConfigMap',
        namespace: 'team-a',
        name: 'cm',
        recorded: { 'secret/data/team-a/db': '1', 'secret/data/team-b/db': '1' },
      },
    ],
    {
      project: 'team-a',
      source: { plugin: { name: 'argocd-secret-plugin' } },
    },
  )
  vault.putKv('secret', 'team-b/db', { password: 'canary-value-b2' })
  const policy = JSON.stringify({ rules: [{ project: 'team-a', paths: ['secret/data/team-a/'] }] })
  const result = await refresh('argo-scope', [], { AVP_SCOPE_POLICY: policy })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(lines(result.stdout)[0]).toBe(
    'ignored team-a-app: secret/data/team-b/db is not asked about: the path secret/data/team-b/db is outside the scope the operator\'s policy gives this Application (project "team-a", destination namespace "apps"); allowed path prefixes: secret/data/team-a/',
  )
  expect(vault.count('secret/metadata/team-b/db', 'GET')).toBe(0)
  expect(vault.count('secret/metadata/team-a/db', 'GET')).toBe(1)
  expect(api.patches).toEqual([])
  expectNoLeak(result)
})

describe('permission denied names the namespace, resource and verb needed; nothing on stdout', () => {
  test('list applications', async () => {
    addApp('argo-deny-list', 'a', [])
    api.deny('GET', '/apis/argoproj.io/v1alpha1/namespaces/argo-deny-list/applications')
    const result = await refresh('argo-deny-list')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'error: ACCESS_DENIED: the service account may not list applications.argoproj.io in namespace argo-deny-list (HTTP 403): grant it a Role in argo-deny-list (or a ClusterRole) with "list" on applications.argoproj.io',
      'argocd-secret-plugin: 1 problem(s); nothing was written to stdout',
    ])
    expectNoLeak(result)
  })

  test('get a live object: that app is not judged, the others still are', async () => {
    vault.putKv('secret', 'deny-get', { password: 'canary-value-1' })
    addApp('argo-deny-get', 'hidden', [
      {
        kind: 'Deployment',
        namespace: 'locked',
        name: 'web',
        recorded: { 'secret/data/deny-get': '1' },
      },
    ])
    addApp('argo-deny-get', 'visible', [
      {
        kind: 'ConfigMap',
        namespace: 'open',
        name: 'cm',
        recorded: { 'secret/data/deny-get': '1' },
      },
    ])
    vault.putKv('secret', 'deny-get', { password: 'canary-value-2' })
    api.deny('GET', '/apis/apps/v1/namespaces/locked/')
    const result = await refresh('argo-deny-get')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'refreshed visible: secret/data/deny-get moved from version 1 to 2',
      '2 application(s) use argocd-secret-plugin, 2 object(s) read, 1 secret(s) checked, 1 refreshed',
      'error: ACCESS_DENIED: the service account may not get deployments.apps in namespace locked (HTTP 403): grant it a Role in locked (or a ClusterRole) with "get" on deployments.apps at Deployment/web',
      'argocd-secret-plugin: 1 problem(s); nothing was written to stdout',
    ])
    expect(api.patches.map((p) => p.name)).toEqual(['visible'])
    expectNoLeak(result)
  })

  test('patch an application', async () => {
    vault.putKv('secret', 'deny-patch', { password: 'canary-value-1' })
    addApp('argo-deny-patch', 'stale', [
      {
        kind: 'ConfigMap',
        namespace: 'dp',
        name: 'cm',
        recorded: { 'secret/data/deny-patch': '1' },
      },
    ])
    vault.putKv('secret', 'deny-patch', { password: 'canary-value-2' })
    api.deny('PATCH', '/apis/argoproj.io/v1alpha1/namespaces/argo-deny-patch/applications/')
    const result = await refresh('argo-deny-patch')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      '1 application(s) use argocd-secret-plugin, 1 object(s) read, 1 secret(s) checked, 0 refreshed',
      'error: ACCESS_DENIED: the service account may not patch applications.argoproj.io in namespace argo-deny-patch (HTTP 403): grant it a Role in argo-deny-patch (or a ClusterRole) with "patch" on applications.argoproj.io at Application/stale',
      'argocd-secret-plugin: 1 problem(s); nothing was written to stdout',
    ])
    expectNoLeak(result)
  })

  test('Vault metadata', async () => {
    vault.putKv('secret', 'deny-meta', { password: 'canary-value-1' })
    vault.addPolicy('data-only', { allow: ['secret/data/*', 'sys/internal/ui/mounts/*'], deny: [] })
    vault.addToken('hvs.canary-data-only', { policies: ['data-only'] })
    addApp('argo-deny-meta', 'm', [
      {
        kind: 'ConfigMap',
        namespace: 'dm',
        name: 'cm',
        recorded: { 'secret/data/deny-meta': '1' },
      },
    ])
    const result = await refresh('argo-deny-meta', [], { VAULT_TOKEN: 'hvs.canary-data-only' })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toContain(
      'error: ACCESS_DENIED: permission denied reading the metadata of secret/data/deny-meta (secret/metadata/deny-meta) (used by m)',
    )
    expect(api.patches).toEqual([])
    expect(result.stderr).not.toContain('hvs.canary-data-only')
    expectNoLeak(result)
  })
})
