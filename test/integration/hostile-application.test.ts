// A hostile Application: its author controls the repository, the plugin
// parameters and the plugin env (`ARGOCD_ENV_*`), and wants what the sidecar
// holds (its files, its credentials, other teams' secrets). Each case runs the
// plugin as Argo CD would (plugin.yaml's argv, the request env, stdin closed),
// with the sidecar's default policy and with an operator allow-list, and checks
// that nothing of the sidecar reaches stdout or stderr unless the operator
// opted in. docs/security.md describes the policy these tests hold.
import fs from 'node:fs'
import path from 'node:path'
import {
  generateManifests,
  type AppSpec,
  type GenerateResult,
  type PluginParameter,
} from '../support/argocd-harness'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { testdir } from '../support/testdir'
import { requireTool } from '../support/tools'

requireTool('helm')
requireTool('kustomize')

/** A file only the sidecar has: the service-account token, /proc/1/environ, a credentials file. */
const SIDECAR_CANARY = 'canary-sidecar-file-7f3a'
const sidecarFiles = testdir({
  token: `${SIDECAR_CANARY}\n`,
  'other-team.yaml': 'team-b/db:\n  password: canary-other-team-9b1c\n',
  // A value team A may write but whose text names a secret only the sidecar may read.
  'own.yaml':
    'team-a/db:\n  password: own-value\n  greeting: "hello <path:prod/db#password>"\n' +
    // Needs Go escaping (tab, backslash, a control character) when helm quotes it.
    '  escaped: "canary\\tesc\\\\ape\\u0001-2b8e"\n' +
    'prod/db:\n  password: canary-prod-db-5e2d\n',
})
const SIDECAR_TOKEN = path.join(sidecarFiles, 'token')

/** The operator's backend: a file backend with team A's secrets. */
const FILE_BACKEND = { AVP_TYPE: 'file', AVP_FILE_PATH: path.join(sidecarFiles, 'own.yaml') }

function app(
  files: Readonly<Record<string, string>>,
  plugin: { env?: Record<string, string>; parameters?: PluginParameter[] } = {},
  extra: Partial<AppSpec> = {},
): AppSpec {
  return {
    repoDir: testdir(files),
    path: '.',
    name: 'hostile',
    destinationNamespace: 'team-a',
    plugin: {
      name: 'argocd-secret-plugin',
      env: Object.entries(plugin.env ?? {}).map(([name, value]) => ({ name, value })),
      parameters: plugin.parameters ?? null,
    },
    ...extra,
  }
}

/** A failed run: nothing on stdout, the expected reason, and no canary anywhere. */
function expectRefused(result: GenerateResult, reason: string | RegExp): void {
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.stdout).toBe('')
  expect(result.stderr).toMatch(reason)
  expect(result.stderr).not.toContain('canary')
}

function printed(result: GenerateResult): string {
  if (!result.ok) throw new Error(`generation failed: ${result.error}`)
  return JSON.stringify(result.manifests)
}

describe('plugin parameters: load-restrictor reads any file of the sidecar', () => {
  const kustomization = {
    'kustomization.yaml': [
      'configMapGenerator:',
      '  - name: loot',
      '    files:',
      `      - token=${SIDECAR_TOKEN}`,
      '',
    ].join('\n'),
  }
  const lift = { parameters: [{ name: 'load-restrictor', string: 'LoadRestrictionsNone' }] }

  test('default policy: refused before kustomize runs', async () => {
    const result = await generateManifests(app(kustomization, lift), { env: FILE_BACKEND })
    expectRefused(result, /plugin parameter "load-restrictor": Applications may not set it/)
  })

  test('the strictest env allow-list does not open it either', async () => {
    const result = await generateManifests(app(kustomization, lift), {
      env: { ...FILE_BACKEND, AVP_APP_ENV_ALLOWLIST: '' },
    })
    expectRefused(result, /AVP_APP_PARAM_ALLOWLIST/)
  })

  test('the plugin env cannot pass kustomize flags either', async () => {
    const result = await generateManifests(
      app(kustomization, {
        env: { KUSTOMIZE_BUILD_OPTIONS: '--load-restrictor LoadRestrictionsNone' },
      }),
      { env: FILE_BACKEND },
    )
    expectRefused(result, /ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS: Applications may not set/)
  })

  test('the operator opted in: kustomize reads outside the app (what the default prevents)', async () => {
    const result = await generateManifests(app(kustomization, lift), {
      env: { ...FILE_BACKEND, AVP_APP_PARAM_ALLOWLIST: 'load-restrictor' },
    })
    expect(printed(result)).toContain(SIDECAR_CANARY)
  })
})

describe('plugin env: settings that select credentials, endpoints, files or caches', () => {
  const secret = {
    'secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: loot',
      'stringData:',
      '  password: <path:team-b/db#password>',
      '',
    ].join('\n'),
  }
  const otherTeamFile = { AVP_FILE_PATH: path.join(sidecarFiles, 'other-team.yaml') }

  test('default policy: ARGOCD_ENV_AVP_FILE_PATH is refused', async () => {
    const result = await generateManifests(app(secret, { env: otherTeamFile }), {
      env: FILE_BACKEND,
    })
    expectRefused(result, /ARGOCD_ENV_AVP_FILE_PATH: Applications may not set AVP_FILE_PATH/)
  })

  test('an allow-list that names other keys still refuses it', async () => {
    const result = await generateManifests(app(secret, { env: otherTeamFile }), {
      env: { ...FILE_BACKEND, AVP_APP_ENV_ALLOWLIST: 'VAULT_NAMESPACE' },
    })
    expectRefused(result, /Applications may not set AVP_FILE_PATH/)
  })

  test('the operator opted in: the Application picks the file (what the default prevents)', async () => {
    const result = await generateManifests(app(secret, { env: otherTeamFile }), {
      env: { ...FILE_BACKEND, AVP_APP_ENV_ALLOWLIST: 'AVP_FILE_PATH' },
    })
    expect(printed(result)).toContain('canary-other-team-9b1c')
  })

  describe('ARGOCD_ENV_VAULT_ADDR / AVP_TYPE: the sidecar credentials sent to the tenant', () => {
    let attacker: FakeVault
    beforeAll(async () => {
      attacker = await startFakeVault()
    })
    afterAll(async () => {
      await attacker.stop()
    })

    test('default policy: refused, and the tenant server hears nothing', async () => {
      attacker.resetRequests()
      const env = { AVP_TYPE: 'vault', VAULT_ADDR: attacker.address, AVP_AUTH_TYPE: 'approle' }
      const result = await generateManifests(app(secret, { env }), {
        env: {
          ...FILE_BACKEND,
          AVP_ROLE_ID: 'sidecar-role',
          AVP_SECRET_ID: 'canary-sidecar-secret-id',
        },
      })
      expectRefused(result, /ARGOCD_ENV_AVP_TYPE: Applications may not set AVP_TYPE/)
      if (!result.ok) {
        expect(result.stderr).toMatch(/ARGOCD_ENV_VAULT_ADDR: Applications may not set VAULT_ADDR/)
      }
      expect(attacker.requests).toHaveLength(0)
    })
  })
})

describe('symlinks out of the repository', () => {
  /** A manifest only the sidecar has, e.g. a file under /etc or a mounted credential. */
  const outside = testdir({
    'sidecar-cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: loot\ndata:\n  token: ${SIDECAR_CANARY}\n`,
  })
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: own\ndata:\n  a: b\n'

  function repoWith(files: Record<string, string>, links: Record<string, string>): string {
    const dir = testdir(files)
    for (const [link, target] of Object.entries(links)) {
      fs.mkdirSync(path.dirname(path.join(dir, link)), { recursive: true })
      fs.symlinkSync(target, path.join(dir, link))
    }
    return dir
  }

  /** The harness copies the repository as Argo CD's tar does, symlinks as written. */
  async function run(repoDir: string, appPath = '.'): Promise<GenerateResult> {
    return generateManifests({ ...app({}), repoDir, path: appPath }, { env: FILE_BACKEND })
  }

  test.each([
    ['a plain app: env.yaml -> /proc/self/environ', {}, { 'env.yaml': '/proc/self/environ' }],
    [
      'a plain app: a manifest of the sidecar',
      {},
      { 'loot.yaml': path.join(outside, 'sidecar-cm.yaml') },
    ],
    [
      'a relative link that climbs out',
      {},
      {
        'sub/loot.yaml': `../${path.relative(path.join(testdir(), 'sub'), outside)}/sidecar-cm.yaml`,
      },
    ],
    [
      'a Helm chart: .Files.Get of a link',
      {
        'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
        'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  loot: {{ .Files.Get "loot.txt" | quote }}\n`,
      },
      { 'loot.txt': SIDECAR_TOKEN },
    ],
    [
      'a kustomization: configMapGenerator over a link, under the default restrictor',
      {
        'kustomization.yaml':
          'configMapGenerator:\n  - name: loot\n    files:\n      - token=loot.txt\n',
      },
      { 'loot.txt': SIDECAR_TOKEN },
    ],
    ['a dangling link to a sidecar path', {}, { 'gone.yaml': '/nonexistent/sidecar/file.yaml' }],
  ])('%s: refused', async (_name, files, links) => {
    const result = await run(repoWith({ 'own.yaml': cm, ...files }, links))
    expectRefused(result, /is a symlink that leads outside the repository/)
    if (!result.ok) expect(result.stderr).not.toContain(outside)
  })

  test('a link in another directory of the repository is refused too (kustomize can reach it)', async () => {
    const repo = repoWith({ 'apps/a/own.yaml': cm }, { 'shared/loot.yaml': SIDECAR_TOKEN })
    expectRefused(
      await run(repo, 'apps/a'),
      /is a symlink that leads outside the repository.* at shared\/loot\.yaml/,
    )
  })

  test('links that stay inside the repository are followed', async () => {
    const repo = repoWith(
      { 'base/cm.yaml': cm },
      { 'apps/a/cm.yaml': '../../base/cm.yaml', 'apps/a/dir': '../../base' },
    )
    const result = await run(repo, 'apps/a')
    expect(printed(result)).toContain('"name":"own"')
  })
})

describe('the Vault token cache never lands in the repository', () => {
  let vault: FakeVault
  beforeAll(async () => {
    vault = await startFakeVault()
    vault.putKv('secret', 'app', { password: 'own-password' })
    vault.addApprole('sidecar-role', 'canary-sidecar-secret-id')
  })
  afterAll(async () => {
    await vault.stop()
  })

  /** A chart whose template prints every file of the chart directory, with resolved values. */
  const chart = {
    'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'README.txt': 'a chart\n',
    'values.yaml': 'password: <path:secret/data/app#password>\n',
    'templates/loot.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: loot',
      'data:',
      '  password: {{ .Values.password | quote }}',
      '  files: {{ range $path, $_ := .Files.Glob "**" }}{{ $path }},{{ end }}',
      '  contents: {{ range $path, $_ := .Files.Glob "**" }}{{ $.Files.Get $path | b64enc }},{{ end }}',
      '',
    ].join('\n'),
  }
  const resolveValues = [{ name: 'resolve-values-placeholders', string: 'true' }]

  function sidecar(extra: Record<string, string> = {}): Record<string, string> {
    return {
      AVP_TYPE: 'vault',
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'approle',
      AVP_ROLE_ID: 'sidecar-role',
      AVP_SECRET_ID: 'canary-sidecar-secret-id',
      ...extra,
    }
  }

  function expectNoCacheIn(result: GenerateResult): void {
    const text = printed(result)
    expect(text).toContain('own-password')
    const files = /"files":"([^"]*)"/.exec(text)?.[1] ?? ''
    // Helm's .Files leaves out Chart.yaml, values.yaml and templates/: README.txt proves the glob works.
    // The checkout holds .git as Argo CD's does; a chart at the repository root sees it.
    const listed = files.split(',').filter((f) => f !== '' && !f.startsWith('.git/'))
    expect(listed).toEqual(['README.txt'])
  }

  test('default policy: ARGOCD_ENV_AVP_TOKEN_CACHE_DIR is refused before any login', async () => {
    vault.resetRequests()
    const result = await generateManifests(
      app(chart, { env: { AVP_TOKEN_CACHE_DIR: '.' }, parameters: resolveValues }),
      { env: sidecar() },
    )
    expectRefused(result, /Applications may not set AVP_TOKEN_CACHE_DIR/)
    expect(vault.requests).toHaveLength(0)
  })

  test('the operator allowed the key: a cache dir inside the chart is not used', async () => {
    const result = await generateManifests(
      app(chart, { env: { AVP_TOKEN_CACHE_DIR: '.' }, parameters: resolveValues }),
      { env: sidecar({ AVP_APP_ENV_ALLOWLIST: 'AVP_TOKEN_CACHE_DIR' }) },
    )
    expectNoCacheIn(result)
  })

  test('the operator set a relative cache dir: still never inside the repository', async () => {
    const result = await generateManifests(app(chart, { parameters: resolveValues }), {
      env: sidecar({ AVP_TOKEN_CACHE_DIR: 'cache' }),
    })
    expectNoCacheIn(result)
  })
})

describe('a substituted value is never resolved again (resolve-values-placeholders)', () => {
  function chart(template: string): Record<string, string> {
    return {
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'values.yaml': 'greeting: <path:team-a/db#greeting>\n',
      'templates/cm.yaml': template,
    }
  }
  const resolveValues = { parameters: [{ name: 'resolve-values-placeholders', string: 'true' }] }

  test('copied, quoted and base64-encoded by the chart: printed as written', async () => {
    const files = chart(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: greeting',
        'data:',
        '  greeting: {{ .Values.greeting | quote }}',
        '---',
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: greeting',
        'data:',
        '  greeting: {{ .Values.greeting | b64enc }}',
        '',
      ].join('\n'),
    )
    const text = printed(await generateManifests(app(files, resolveValues), { env: FILE_BACKEND }))
    expect(text).toContain('"greeting":"hello <path:prod/db#password>"')
    expect(text).toContain(Buffer.from('hello <path:prod/db#password>').toString('base64'))
    expect(text).not.toContain('canary')
  })

  test('cut by the chart so that it cannot be told apart: refused', async () => {
    const files = chart(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: greeting',
        'data:',
        '  greeting: {{ .Values.greeting | trimPrefix "hello " | quote }}',
        '',
      ].join('\n'),
    )
    const result = await generateManifests(app(files, resolveValues), { env: FILE_BACKEND })
    expectRefused(result, /appears inside a secret value substituted into the Helm values/)
  })

  test('a placeholder the chart writes itself is still resolved', async () => {
    const files = chart(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: greeting',
        'data:',
        '  greeting: {{ .Values.greeting | quote }}',
        '  password: <path:team-a/db#password>',
        '',
      ].join('\n'),
    )
    const text = printed(await generateManifests(app(files, resolveValues), { env: FILE_BACKEND }))
    expect(text).toContain('"password":"own-value"')
    expect(text).toContain('"greeting":"hello <path:prod/db#password>"')
  })
})

describe('an Application makes helm print a resolved value back (values schema)', () => {
  // The tenant writes the chart, its schema and the values: helm's schema
  // error quotes the resolved value, Go-escaped. Masking must cover it.
  const chart = {
    'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'values.schema.json': JSON.stringify({
      type: 'object',
      properties: { leak: { type: 'string', pattern: '^nope$' } },
    }),
    'templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  l: {{ .Values.leak | quote }}\n',
  }
  const leak = 'leak: <path:team-a/db#escaped>'
  const resolve = { name: 'resolve-values-placeholders', string: 'true' }

  test('through the values plugin parameter', async () => {
    const result = await generateManifests(
      app(chart, { parameters: [resolve, { name: 'values', string: leak }] }),
      { env: FILE_BACKEND },
    )
    expectRefused(result, /does not match pattern/)
  })

  test('through the plugin env (HELM_VALUES)', async () => {
    const result = await generateManifests(
      app(chart, { env: { HELM_VALUES: leak }, parameters: [resolve] }),
      { env: FILE_BACKEND },
    )
    expectRefused(result, /does not match pattern/)
  })
})
