// renderApp with the real, pinned helm: dependencies (file://, an http
// repository on loopback with a Chart.lock, an unreachable one), value files,
// parameters, values-file placeholders, AVP-style HELM_ARGS / HELM_VALUES and
// the KUBE_* capabilities.
import { execFile, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import { parseAllDocuments } from 'yaml'
import { ConfigError, ProblemsError, RenderError } from '../../src/errors'
import type { DebugEvent } from '../../src/log'
import { renderApp, type RenderAppRequest as RenderRequest } from '../support/render-app'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

const EXAMPLE = path.resolve(__dirname, '../../examples/app-helm')
const helm = requireTool('helm')
const execFileAsync = promisify(execFile)

type Doc = Record<string, unknown> & { kind: string; metadata: { name: string } }

function docs(text: string): Doc[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null)
}

function byName(list: Doc[], kind: string, name: string): Doc {
  const found = list.find((d) => d.kind === kind && d.metadata.name === name)
  if (found === undefined) throw new Error(`${kind}/${name} not rendered`)
  return found
}

function copyExample(): string {
  const root = testdir()
  fs.cpSync(EXAMPLE, path.join(root, 'repo/examples/app-helm'), { recursive: true })
  return path.join(root, 'repo/examples/app-helm/chart')
}

const resolved: string[] = []
const fakeResolve = (text: string, source: string): Promise<string> => {
  resolved.push(source)
  return Promise.resolve(text.replace(/<path:[^>]*>/g, 'resolved-secret-value'))
}

async function render(
  appDir: string,
  env: Record<string, string | undefined>,
  extra: Partial<RenderRequest> = {},
): Promise<{ docs: Doc[]; text: string; events: DebugEvent[] }> {
  const events: DebugEvent[] = []
  const out = await renderApp({
    appDir,
    mode: 'auto',
    env: { PATH: toolsPath(), HOME: testdir(), ...env },
    signal: new AbortController().signal,
    deadlineAt: Date.now() + 30_000,
    log: (e) => events.push(e),
    resolveValues: fakeResolve,
    refusedParams: () => [],
    ...extra,
  })
  expect(out).toHaveLength(1)
  expect(out[0]?.source).toBe('helm template')
  expect(out[0]?.skipNonObjects).toBe(false)
  const text = out[0]?.text ?? ''
  return { docs: docs(text), text, events }
}

const params = (list: unknown[]): string => JSON.stringify(list)

beforeEach(() => {
  resolved.length = 0
})

describe('helm rendering of examples/app-helm', () => {
  test('dependencies, value files, parameters and values-file placeholders', async () => {
    const chart = copyExample()
    const { docs: out, events } = await render(chart, {
      ARGOCD_APP_NAME: 'apps_demo', // an app outside the control-plane namespace
      ARGOCD_APP_NAMESPACE: 'demo-ns',
      ARGOCD_APP_SOURCE_PATH: 'examples/app-helm/chart',
      ARGOCD_APP_PARAMETERS: params([
        { name: 'values-files', array: ['values-prod.yaml'] },
        { name: 'resolve-values-placeholders', string: 'true' },
        { name: 'set', map: { 'image.tag': '1.27.9', replicaCount: '3', 'cache.size': '256Mi' } },
      ]),
    })
    const deployment = byName(out, 'Deployment', 'demo') as Doc & { spec: Record<string, unknown> }
    expect(deployment.metadata).toMatchObject({ namespace: 'demo-ns' })
    expect(deployment.spec['replicas']).toBe(3)
    expect(JSON.stringify(deployment)).toContain('nginx:1.27.9')
    // values.yaml's placeholder was resolved before helm ran, so b64enc saw the real value.
    const db = byName(out, 'Secret', 'demo-db') as Doc & { data: Record<string, string> }
    expect(Buffer.from(db.data['password'] ?? '', 'base64').toString()).toBe(
      'resolved-secret-value',
    )
    expect(resolved).toEqual(['values.yaml', 'values-prod.yaml'])
    // The file:// dependency was built; its template keeps its placeholder for the CLI.
    const cache = byName(out, 'ConfigMap', 'demo-cache') as Doc & { data: Record<string, string> }
    expect(cache.data).toEqual({
      size: '256Mi',
      password: '<path:secret/data/demo/cache#password>',
    })
    expect(fs.readdirSync(path.join(chart, 'charts'))).toEqual(['cache-0.1.0.tgz'])
    // Entries equal to the current values (replicaCount, cache.size) are not passed.
    expect(events).toContainEqual({
      kind: 'note',
      message: "2 set entries equal the chart's values and were not passed",
    })
    expect(events.some((e) => e.kind === 'render' && e.tool === 'helm template')).toBe(true)
  })

  test('without resolve-values-placeholders the schema refuses the placeholder (AVP #332)', async () => {
    const chart = copyExample()
    const error = await render(chart, { ARGOCD_APP_NAME: 'demo' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RenderError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(message).toMatch(/^helm template failed with exit code 1: Error: values don't meet/)
    expect(message).toContain("'/database/password'")
  })

  test('AVP-style ARGOCD_ENV_HELM_ARGS and ARGOCD_ENV_HELM_VALUES', async () => {
    const chart = copyExample()
    const tmp = testdir()
    const { docs: out } = await render(chart, {
      TMPDIR: tmp,
      ARGOCD_APP_NAME: 'legacy',
      ARGOCD_APP_PARAMETERS: 'null',
      ARGOCD_ENV_HELM_ARGS:
        "-f values-prod.yaml --set image.tag=2.0.1 --set-string 'database.password=long-enough-pw' --skip-tests",
      ARGOCD_ENV_HELM_VALUES: 'replicaCount: 7\ncache:\n  enabled: false\n',
    })
    const deployment = byName(out, 'Deployment', 'legacy') as Doc & {
      spec: Record<string, unknown>
    }
    expect(deployment.spec['replicas']).toBe(7) // inline values come after the files
    expect(JSON.stringify(deployment)).toContain('nginx:2.0.1')
    expect(out.some((d) => d.kind === 'ConfigMap')).toBe(false) // cache.enabled: false
    expect(resolved).toEqual([]) // resolving is opt-in
    expect(fs.readdirSync(tmp)).toEqual([]) // the private temp dir is gone
  })

  test('value files: missing, ignored, escaping the repository, through a symlink', async () => {
    const chart = copyExample()
    const base = { ARGOCD_APP_SOURCE_PATH: 'examples/app-helm/chart', ARGOCD_APP_NAME: 'demo' }
    const files = (list: string[], extra: unknown[] = []): Record<string, string> => ({
      ...base,
      ARGOCD_APP_PARAMETERS: params([
        { name: 'values-files', array: list },
        { name: 'resolve-values-placeholders', string: 'true' },
        ...extra,
      ]),
    })
    await expect(render(chart, files(['nope.yaml']))).rejects.toThrow(
      'parameter values-files: value file "nope.yaml" does not exist (set ignore-missing-value-files to skip it)',
    )
    await render(
      chart,
      files(['nope.yaml'], [{ name: 'ignore-missing-value-files', string: 'true' }]),
    )
    const escape = await render(chart, files(['../../../../etc/passwd', '/etc/hostname'])).catch(
      (e: unknown) => e,
    )
    expect(escape).toBeInstanceOf(ConfigError)
    expect((escape as ConfigError).issues).toEqual([
      'parameter values-files: value file "../../../../etc/passwd" is outside the repository',
      'parameter values-files: value file "/etc/hostname" is outside the repository',
    ])
    // Inside the repository copy (ARGOCD_APP_SOURCE_PATH) is fine, e.g. a shared file.
    const repo = path.resolve(chart, '../../..')
    fs.writeFileSync(path.join(repo, 'shared.yaml'), 'replicaCount: 5\n')
    const shared = await render(chart, files(['../../../shared.yaml']))
    expect(JSON.stringify(byName(shared.docs, 'Deployment', 'demo'))).toContain('"replicas":5')
    fs.symlinkSync('/etc/hostname', path.join(chart, 'link.yaml'))
    // Refused before the value files are looked at: no link may leave the repository.
    const linked = await render(chart, files(['link.yaml'])).catch((e: unknown) => e)
    expect(linked).toBeInstanceOf(ProblemsError)
    expect((linked as ProblemsError).problems).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'is a symlink that leads outside the repository',
        ) as unknown,
        location: { file: expect.stringMatching(/(^|\/)link\.yaml$/) as unknown },
      }),
    ])
  })

  test('bad parameters are all reported at once', async () => {
    const chart = copyExample()
    const error = await render(chart, {
      ARGOCD_APP_NAME: 'Bad_Name',
      ARGOCD_APP_PARAMETERS: params([
        { name: 'include-crds', string: 'maybe' },
        { name: 'set', map: { 'a=b': 'x' } },
      ]),
      ARGOCD_ENV_HELM_ARGS: '--post-renderer=/bin/evil',
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      expect.stringContaining('ARGOCD_ENV_HELM_ARGS: --post-renderer is not allowed'),
      expect.stringContaining('ARGOCD_APP_NAME: "Name" is not a valid Helm release name'),
      'plugin parameter "set": key "a=b" must not be empty or contain "=" or ","',
      'plugin parameter "include-crds" must be true or false',
    ])
  })
})

describe('helm capabilities and set parsing', () => {
  const chartFiles = {
    'Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
    'values.yaml': 'image:\n  tag: "1.10"\nlist: []\n',
    'templates/cm.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'data:',
      '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
      '  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" | quote }}',
      '  last: {{ .Capabilities.APIVersions.Has "example.com/v1/Kind5999" | quote }}',
      '  tag: {{ .Values.image.tag | quote }}',
      '  tagKind: {{ kindOf .Values.image.tag | quote }}',
      '  list: {{ .Values.list | toJson | quote }}',
      '  note: {{ .Values.note | default "" | quote }}',
    ].join('\n'),
  }

  test('KUBE_VERSION and a very large KUBE_API_VERSIONS reach helm', async () => {
    const chart = testdir(chartFiles)
    const many = Array.from({ length: 6000 }, (_, i) => `example.com/v1/Kind${String(i)}`)
    const apiVersions = [
      'v1',
      'monitoring.coreos.com/v1',
      'monitoring.coreos.com/v1/ServiceMonitor',
      ...many,
    ]
    expect(apiVersions.join(',').length).toBeGreaterThan(130_000) // over one argv string's limit
    const { docs: out } = await render(chart, {
      ARGOCD_APP_NAME: 'caps',
      KUBE_VERSION: '1.29.3',
      KUBE_API_VERSIONS: apiVersions.sort().join(','),
    })
    expect(byName(out, 'ConfigMap', 'caps')).toMatchObject({
      data: { kube: 'v1.29.3', monitoring: 'true', last: 'true' },
    })
  })

  test('set entries equal to the chart value are not re-typed; others apply; commas are literal', async () => {
    const chart = testdir(chartFiles)
    const { docs: out } = await render(chart, {
      ARGOCD_APP_PARAMETERS: params([
        { name: 'set', map: { 'image.tag': '1.10', list: '{a,b}' } },
        { name: 'set-string', map: { note: 'x,y=z' } },
      ]),
    })
    // helm template calls an unnamed release "release-name".
    expect(byName(out, 'ConfigMap', 'release-name')).toMatchObject({
      data: { tag: '1.10', tagKind: 'string', list: '["a","b"]', note: 'x,y=z' },
    })
  })
})

describe('chart repositories', () => {
  let server: http.Server
  let url = ''
  const repoDir = testdir()

  beforeAll(async () => {
    const src = testdir({
      'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n',
      'redis/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-redis\n',
    })
    server = http.createServer((req, res) => {
      const file = path.join(repoDir, path.basename(req.url ?? ''))
      if (!fs.existsSync(file)) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200).end(fs.readFileSync(file))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
    const sh = (args: string[]): void => {
      const r = spawnSync(helm, args, { env: { PATH: toolsPath(), HOME: testdir() } })
      if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed: ${r.stderr.toString()}`)
    }
    sh(['package', path.join(src, 'redis'), '-d', repoDir])
    sh(['repo', 'index', repoDir, '--url', url])
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
  })

  async function appChart(repository: string, lock: boolean): Promise<string> {
    const chart = testdir({
      'Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: redis\n  version: 1.0.0\n  repository: ${repository}\n`,
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
    })
    if (lock) {
      // A Chart.lock makes `helm dependency build` require an added repository.
      // Asynchronously: the repository is served by this very process.
      await execFileAsync(helm, ['dependency', 'update', chart], {
        env: { PATH: toolsPath(), HOME: testdir() },
      })
      fs.rmSync(path.join(chart, 'charts'), { recursive: true })
    }
    return chart
  }

  test('an http repository with a Chart.lock is added, then built (HOME unusable)', async () => {
    const chart = await appChart(url, true)
    expect(fs.existsSync(path.join(chart, 'Chart.lock'))).toBe(true)
    const { docs: out } = await render(chart, {
      ARGOCD_APP_NAME: 'web',
      HOME: '/etc/hostname/home',
    })
    expect(out.map((d) => d.metadata.name).sort()).toEqual(['app', 'web-redis'])
  })

  test('an http repository without a lock file', async () => {
    const { docs: out } = await render(await appChart(url, false), { ARGOCD_APP_NAME: 'web' })
    expect(out.map((d) => d.metadata.name).sort()).toEqual(['app', 'web-redis'])
  })

  test('an unreachable repository is an error naming the dependency', async () => {
    // Nothing listens on loopback port 9 (discard).
    const error = await render(await appChart('http://127.0.0.1:9/charts', false), {}).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RenderError)
    expect((error as Error).message).toMatch(
      /^cannot reach the chart repository of dependency "redis" \(http:\/\/127\.0\.0\.1:9\/charts\): helm repo add failed with exit code 1: .*connection refused/,
    )
  })

  test('a dependency that is neither vendored nor fetchable', async () => {
    const error = await render(await appChart('file://../does-not-exist', false), {}).catch(
      (e: unknown) => e,
    )
    expect((error as Error).message).toMatch(
      /^cannot fetch chart dependencies not vendored in charts\/ \(redis from file:\/\/\.\.\/does-not-exist\): helm dependency build failed with exit code 1: /,
    )
  })
})

describe('argv given to helm', () => {
  test('inline values go through stdin and a 0600 FIFO, never argv or a file; flags are single words', async () => {
    const bin = testdir()
    const record = path.join(bin, 'argv.txt')
    // A stand-in helm that records its argv and what each --values source holds (and for a path, its mode and type).
    fs.writeFileSync(
      path.join(bin, 'helm'),
      [
        '#!/bin/sh',
        `for a in "$@"; do printf '%s\\n' "$a" >> ${record}; case "$a" in --values=-) printf 'stdin %s\\n' "$(cat)" >> ${record};; --values=*) f="\${a#--values=}"; printf '%s %s\\n' "$(stat -c '%a %F' "$f")" "$(cat "$f")" >> ${record};; esac; done`,
        'echo "kind: ConfigMap"',
      ].join('\n'),
      { mode: 0o755 },
    )
    const chart = testdir({ 'Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n' })
    await render(chart, {
      PATH: `${bin}:/usr/bin:/bin`,
      ARGOCD_APP_NAME: 'argo_app',
      ARGOCD_APP_NAMESPACE: 'target',
      KUBE_VERSION: '1.30.1',
      KUBE_API_VERSIONS: 'apps/v1,v1',
      ARGOCD_ENV_HELM_VALUES: 'password: inline-canary-value',
      ARGOCD_APP_PARAMETERS: params([
        { name: 'set', map: { 'a.b': '-x,y' } },
        { name: 'values', string: 'token: second-inline-canary' },
      ]),
    })
    const argv = fs.readFileSync(record, 'utf8').trim().split('\n')
    expect(argv).toEqual([
      'template',
      '--namespace=target',
      '--kube-version=1.30.1',
      '--api-versions=apps/v1,v1',
      '--include-crds',
      '--values=-',
      'stdin password: inline-canary-value',
      expect.stringMatching(/^--values=.*\/argocd-secret-plugin-[^/]+\/values-1\.fifo$/),
      '600 fifo token: second-inline-canary',
      '--set=a.b=-x\\,y',
      '--',
      'app',
      chart,
    ])
    expect(argv.filter((a) => a.startsWith('-')).join(' ')).not.toContain('canary')
  })
})
