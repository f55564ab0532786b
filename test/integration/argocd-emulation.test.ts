// The example apps rendered exactly as Argo CD would run the plugin: plugin.yaml's
// generate argv in a copy of the repository, the docs/design/argocd-cmp-contract.md environment, stdin
// closed, stdout judged as the repo server does (docs/design/argocd-cmp-contract.md).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import {
  announceParameters,
  generateManifests,
  loadPluginConfig,
  ManifestCache,
  type AppSpec,
  type GenerateResult,
  type PluginSource,
} from '../support/argocd-harness'
import { judgeOutput, type K8sObject } from '../support/argocd-output'
import { CLI_PATH } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

const REPO = path.resolve(__dirname, '../..')
const EXAMPLES = path.join(REPO, 'examples')
requireTool('helm')
requireTool('kustomize')

/** The repository Argo CD would check out: the examples tree. */
/**
 * The examples as Argo CD would receive them: a git checkout, so only tracked
 * files (not a chart's `charts/` left behind by a local `helm dependency build`).
 */
function repoCopy(): string {
  const dir = testdir()
  const tracked = execFileSync('git', ['ls-files', '-z', 'examples'], {
    cwd: REPO,
    encoding: 'utf8',
  })
  for (const file of tracked.split('\0').filter((f) => f !== '')) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.copyFileSync(path.join(REPO, file), path.join(dir, file))
  }
  return dir
}

/** An example Application's source: path and plugin block, read from examples/argocd/applications. */
function exampleApp(file: string): { path: string; plugin: PluginSource } {
  const app = parse(fs.readFileSync(path.join(EXAMPLES, 'argocd/applications', file), 'utf8')) as {
    spec: { source: { path: string; plugin: PluginSource } }
  }
  return app.spec.source
}

function backend(example: string): Record<string, string> {
  return { AVP_TYPE: 'file', AVP_FILE_PATH: path.join(EXAMPLES, example, 'secrets.yaml') }
}

function manifests(result: GenerateResult): K8sObject[] {
  if (!result.ok) throw new Error(`generation failed: ${result.error}`)
  expect(result.manifests.length).toBeGreaterThan(0)
  return result.manifests
}

function find(
  list: K8sObject[],
  kind: string,
  name: string,
): Record<string, Record<string, string>> {
  const found = list.find(
    (m) => m.kind === kind && (m['metadata'] as { name: string }).name === name,
  )
  if (found === undefined) throw new Error(`${kind}/${name} missing`)
  return found as unknown as Record<string, Record<string, string>>
}

const b64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString()

beforeAll(() => {
  if (!fs.existsSync(CLI_PATH)) throw new Error('dist/cli.cjs is missing: run npm run build')
})

describe('plugin.yaml', () => {
  test('is a valid sidecar config without discovery, running our CLI as an argv', () => {
    const plugin = loadPluginConfig()
    expect(plugin.name).toBe('argocd-secret-plugin')
    expect(plugin.discover).toBeUndefined()
    expect(plugin.init).toBeUndefined()
    expect(plugin.generate.command).toEqual(['argocd-secret-plugin', 'generate'])
    expect(plugin.dynamic?.command).toEqual(['argocd-secret-plugin', 'parameters'])
  })
})

describe('generate through plugin.yaml', () => {
  test('plain app, Application in another namespace, parameters null', async () => {
    const source = exampleApp('app-plain.yaml')
    const result = await generateManifests(
      {
        repoDir: repoCopy(),
        path: source.path,
        name: 'app-plain',
        appNamespace: 'team-a', // ARGOCD_APP_NAME=team-a_app-plain
        destinationNamespace: 'app-plain',
        plugin: { name: 'argocd-secret-plugin', parameters: null },
      },
      { env: backend('app-plain') },
    )
    const out = manifests(result)
    expect(out.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Secret'])
    expect(find(out, 'Secret', 'plain-db')['stringData']).toEqual({
      username: 'plain-user',
      password: 'plain-password-123',
    })
    expect(find(out, 'ConfigMap', 'plain-settings')['data']?.['db-port']).toBe('5432')
  })

  test('Helm app: file:// dependency, value files, set, inline values, values-file placeholders', async () => {
    const source = exampleApp('app-helm.yaml')
    const app: AppSpec = {
      repoDir: repoCopy(),
      path: source.path,
      name: 'app-helm',
      appNamespace: 'team-b',
      destinationNamespace: 'app-helm',
      plugin: source.plugin,
    }
    const out = manifests(await generateManifests(app, { env: backend('app-helm') }))
    const text = JSON.stringify(out)
    expect(text).not.toContain('<path:')
    expect(text).not.toContain('<token>')
    const deployment = find(out, 'Deployment', 'demo') // release-name parameter
    expect(deployment['metadata']?.['namespace']).toBe('app-helm')
    expect((deployment['spec'] as unknown as { replicas: number }).replicas).toBe(3) // values-prod.yaml
    expect(text).toContain('nginx:1.27.2') // set
    expect(b64(find(out, 'Secret', 'demo-db')['data']?.['password'])).toBe('helm-db-password-42')
    expect(find(out, 'Secret', 'demo-api')['stringData']).toEqual({
      token: 'helm-api-token-xyz',
      'webhook-url': 'https://hooks.example.com/T000/B000',
    })
    expect(find(out, 'ConfigMap', 'demo-cache')['data']).toEqual({
      size: '128Mi', // inline `values` parameter wins over values-prod.yaml
      password: 'cache-password-7',
    })
  })

  test('Helm app the AVP way: ARGOCD_ENV_HELM_ARGS / HELM_VALUES with envsubst, and the release from ns_name', async () => {
    const result = await generateManifests(
      {
        repoDir: repoCopy(),
        path: 'examples/app-helm/chart',
        name: 'legacy',
        appNamespace: 'team-c',
        destinationNamespace: 'legacy-ns',
        plugin: {
          name: 'argocd-secret-plugin',
          env: [
            {
              name: 'HELM_ARGS',
              value: '-f values-prod.yaml --set image.tag=$ARGOCD_APP_REVISION_SHORT',
            },
            {
              name: 'HELM_VALUES',
              value: 'database:\n  password: <path:secret/data/demo/db#password>\n',
            },
          ],
          parameters: [{ name: 'resolve-values-placeholders', string: 'true' }],
        },
        revision: 'abcdef1234567890abcdef1234567890abcdef12',
      },
      { env: backend('app-helm') },
    )
    const out = manifests(result)
    expect(JSON.stringify(find(out, 'Deployment', 'legacy'))).toContain('nginx:abcdef1')
    expect(b64(find(out, 'Secret', 'legacy-db')['data']?.['password'])).toBe('helm-db-password-42')
  })

  test('Kustomize app with --enable-helm (local chart) and a secretGenerator', async () => {
    const source = exampleApp('app-kustomize.yaml')
    const out = manifests(
      await generateManifests(
        { repoDir: repoCopy(), path: source.path, name: 'app-kustomize', plugin: source.plugin },
        { env: backend('app-kustomize') },
      ),
    )
    expect(find(out, 'ConfigMap', 'web-extra-config')['data']).toEqual({
      greeting: 'hello',
      'api-token': 'kustomize-api-token-5',
    })
    const secret = find(out, 'Secret', 'web-db')['data']
    expect(b64(secret?.['password'])).toBe('kustomize-password-9')
    expect(b64(secret?.['username'])).toBe('kustomize-user')
  })

  test('Kustomize overlay without helm, parameters as []', async () => {
    const out = manifests(
      await generateManifests(
        {
          repoDir: repoCopy(),
          path: 'examples/app-kustomize/overlays/prod',
          name: 'prod',
          plugin: { name: 'argocd-secret-plugin', parameters: [] },
        },
        { env: backend('app-kustomize') },
      ),
    )
    expect(find(out, 'Secret', 'prod-api')['stringData']).toEqual({
      token: 'kustomize-api-token-5',
    })
    expect(b64(find(out, 'Secret', 'prod-web-db')['data']?.['password'])).toBe(
      'kustomize-password-9',
    )
  })
})

describe('failures reach Argo CD as one line, a non-zero exit and no manifests', () => {
  const helmApp = (extra: Partial<AppSpec> = {}): AppSpec => ({
    repoDir: repoCopy(),
    path: 'examples/app-helm/chart',
    name: 'demo',
    plugin: { name: 'argocd-secret-plugin', parameters: null },
    ...extra,
  })

  function expectFailure(result: GenerateResult, code: number, line: RegExp): void {
    if (result.ok) throw new Error('expected a failure')
    expect(result.exitCode).toBe(code)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(line)
    expect(result.error).toMatch(
      /^`argocd-secret-plugin generate \.` failed exit status \d+: error: /,
    )
  }

  test('a tool failure (the schema refuses an unresolved placeholder)', async () => {
    const result = await generateManifests(helmApp(), { env: backend('app-helm') })
    expectFailure(
      result,
      3,
      /^error: RENDER_FAILED: helm template failed with exit code 1: .*does not match pattern/,
    )
  })

  test('a timeout: helm hangs past AVP_DEADLINE', async () => {
    const bin = testdir()
    fs.writeFileSync(path.join(bin, 'helm'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 })
    const started = Date.now()
    const result = await generateManifests(helmApp(), {
      env: { ...backend('app-helm'), AVP_DEADLINE: '2' },
      path: `${bin}:${toolsPath()}`,
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expectFailure(
      result,
      3,
      /^error: RENDER_FAILED: .*helm dependency build did not finish before the run deadline/,
    )
  })

  test('a missing tool', async () => {
    const result = await generateManifests(helmApp(), {
      env: backend('app-helm'),
      path: path.dirname(process.execPath), // node only: no helm, no kustomize
    })
    expectFailure(result, 3, /^error: RENDER_FAILED: helm is not installed or not on PATH$/)
  })
})

describe('the dynamic parameters command (reduced env, no backend)', () => {
  test('a chart announces its value files and current values; static knobs follow', async () => {
    const source = exampleApp('app-helm.yaml')
    const announced = (await announceParameters(
      { repoDir: repoCopy(), path: source.path, name: 'app-helm', plugin: source.plugin },
      // A backend that would fail if contacted: the command must not touch it.
      { env: { AVP_TYPE: 'vault', VAULT_ADDR: 'http://127.0.0.1:9', AVP_AUTH_TYPE: 'token' } },
    )) as { name: string; array?: string[]; map?: Record<string, string>; tooltip?: string }[]
    expect(announced.slice(0, 2).map((a) => a.name)).toEqual(['values-files', 'set'])
    expect(announced[0]?.array).toEqual(['values-prod.yaml'])
    expect(announced[0]?.tooltip).toContain('Found here: values-prod.yaml, values.yaml')
    expect(announced[1]?.map).toMatchObject({
      replicaCount: '3',
      'image.tag': '1.27.2',
      'cache.size': '128Mi',
      'database.password': '<path:secret/data/demo/db#password>',
    })
    const names = announced.map((a) => a.name)
    expect(new Set(names).size).toBe(names.length) // no name announced twice
  })

  test('a Kustomize app has no chart parameters', async () => {
    const announced = await announceParameters(
      { repoDir: repoCopy(), path: 'examples/app-kustomize/overlays/prod', name: 'k', plugin: {} },
      { env: {} },
    )
    expect(announced).toEqual(loadPluginConfig().static)
  })
})

describe('caching and rotation', () => {
  test('a rotated secret is invisible until a hard refresh', async () => {
    const secrets = path.join(testdir(), 'secrets.yaml')
    const write = (password: string): void => {
      fs.writeFileSync(
        secrets,
        `secret/data/plain/db: {username: u, password: ${password}, port: 1}\nsecret/data/plain/api: {key: k}\n`,
      )
    }
    write('first-password')
    const cache = new ManifestCache()
    const app: AppSpec = {
      repoDir: repoCopy(),
      path: 'examples/app-plain/manifests',
      name: 'app-plain',
      plugin: { name: 'argocd-secret-plugin' },
    }
    const options = { env: { AVP_TYPE: 'file', AVP_FILE_PATH: secrets } }
    const password = async (hard: boolean): Promise<string | undefined> =>
      find(manifests(await cache.generate(app, options, hard)), 'Secret', 'plain-db')[
        'stringData'
      ]?.['password']
    expect(await password(false)).toBe('first-password')
    write('rotated-password')
    expect(await password(false)).toBe('first-password')
    expect(cache.runs).toBe(1)
    expect(await password(true)).toBe('rotated-password')
    expect(cache.runs).toBe(2)
  })
})

describe('the harness judges output as Argo CD does', () => {
  test.each([
    ['', /zero manifests/],
    ['---\n---\n', /zero manifests/],
    ['apiVersion: v1\nmetadata: {name: x}\n', /Kind' is missing/],
    ['kind: A\n...\nkind: B\n', /more than one document/],
    ['kind: A\n--- kind: B\n', /failed to unmarshal|more than one document/],
    ['[{"kind": "A"}]', /failed to unmarshal|not an object/],
  ])('%j is refused', (stdout, error) => {
    const judged = judgeOutput(stdout)
    expect(judged.ok).toBe(false)
    if (!judged.ok) expect(judged.failure).toMatch(error)
  })

  test('YAML and JSON streams, null documents and Lists', () => {
    const yaml = judgeOutput(
      '---\nkind: A\n---\n\n---\nnull\n---\nkind: List\nitems: [{kind: B}, {kind: C}]\n',
    )
    expect(yaml).toEqual({ ok: true, manifests: [{ kind: 'A' }, { kind: 'B' }, { kind: 'C' }] })
    const json = judgeOutput('{"kind":"A","data":{"x":"}"}}\n{"kind":"B"}')
    expect(json).toEqual({ ok: true, manifests: [{ kind: 'A', data: { x: '}' } }, { kind: 'B' }] })
  })
})
