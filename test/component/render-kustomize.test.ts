// renderApp with the real, pinned kustomize (and kubectl's built-in one):
// overlays with a secretGenerator, helmCharts with --enable-helm from a local
// chartHome (no network), --load-restrictor, and the hints on failure.
import fs from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { ConfigError, RenderError } from '../../src/errors'
import { renderApp } from '../support/render-app'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

const EXAMPLE = path.resolve(__dirname, '../../examples/app-kustomize')
requireTool('kustomize')
requireTool('helm') // kustomize --enable-helm runs it

type Doc = { kind: string; metadata: { name: string }; data?: Record<string, string> } & Record<
  string,
  unknown
>

async function render(appDir: string, env: Record<string, string> = {}): Promise<Doc[]> {
  const out = await renderApp({
    appDir,
    mode: 'auto',
    env: { PATH: toolsPath(), HOME: testdir(), ...env },
    signal: new AbortController().signal,
    deadlineAt: Date.now() + 30_000,
    log: () => undefined,
    resolveValues: () => Promise.reject(new Error('not used for kustomize')),
    refusedParams: () => [],
  })
  expect(out.map((i) => [i.source, i.skipNonObjects])).toEqual([['kustomize build', false]])
  return parseAllDocuments(out[0]?.text ?? '')
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null)
}

const names = (docs: Doc[]): string[] => docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()
const params = (list: unknown[]): Record<string, string> => ({
  ARGOCD_APP_PARAMETERS: JSON.stringify(list),
})

describe('kustomize rendering', () => {
  test('an overlay with a secretGenerator (placeholders base64-encoded by kustomize)', async () => {
    const docs = await render(path.join(EXAMPLE, 'overlays/prod'))
    expect(names(docs)).toEqual(['Deployment/prod-web', 'Secret/prod-api', 'Secret/prod-web-db'])
    const secret = docs.find((d) => d.metadata.name === 'prod-web-db')
    expect(Buffer.from(secret?.data?.['password'] ?? '', 'base64').toString()).toBe(
      '<path:secret/data/kustomize/db#password>',
    )
  })

  test('helmCharts need enable-helm: an error with a hint, then a render from the local chart', async () => {
    const dir = path.join(EXAMPLE, 'overlays/with-helm')
    const error = await render(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RenderError)
    expect((error as Error).message).toMatch(
      /^kustomize build failed with exit code 1: .*must specify --enable-helm \(set the plugin parameter enable-helm to "true"\)$/,
    )
    const docs = await render(dir, params([{ name: 'enable-helm', string: 'true' }]))
    expect(names(docs)).toEqual(['ConfigMap/web-extra-config', 'Deployment/web', 'Secret/web-db'])
    expect(docs.find((d) => d.kind === 'ConfigMap')?.data).toEqual({
      greeting: 'hello',
      'api-token': '<path:secret/data/kustomize/api#token>',
    })
  })

  test('load-restrictor', async () => {
    const root = testdir({
      'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n',
      'app/kustomization.yaml': 'resources:\n  - ../shared/cm.yaml\n',
    })
    const app = path.join(root, 'app')
    await expect(render(app)).rejects.toThrow(
      /is not in or below .* \(files outside the kustomization need the plugin parameter load-restrictor: LoadRestrictionsNone, which the operator must allow with AVP_APP_PARAM_ALLOWLIST\)$/,
    )
    const docs = await render(
      app,
      params([{ name: 'load-restrictor', string: 'LoadRestrictionsNone' }]),
    )
    expect(names(docs)).toEqual(['ConfigMap/shared'])
    await expect(
      render(app, params([{ name: 'load-restrictor', string: 'sometimes' }])),
    ).rejects.toThrow(ConfigError)
  })

  test('kubectl kustomize when kustomize is not installed', async () => {
    const kubectl = requireTool('kubectl')
    const bin = testdir()
    fs.symlinkSync(kubectl, path.join(bin, 'kubectl'))
    fs.symlinkSync(requireTool('helm'), path.join(bin, 'helm'))
    const dir = path.join(EXAMPLE, 'overlays/with-helm')
    const docs = await render(dir, {
      PATH: bin,
      ...params([{ name: 'enable-helm', string: 'true' }]),
    })
    expect(names(docs)).toEqual(['ConfigMap/web-extra-config', 'Deployment/web', 'Secret/web-db'])
  })

  test('neither kustomize nor kubectl', async () => {
    await expect(render(path.join(EXAMPLE, 'overlays/prod'), { PATH: testdir() })).rejects.toThrow(
      'kustomize is not installed or not on PATH (nor is kubectl)',
    )
  })

  test('the render parameter and detection order', async () => {
    const dir = testdir({
      'kustomization.yml': 'resources: [cm.yaml]\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    })
    expect(names(await render(dir))).toEqual(['ConfigMap/cm'])
    const plain = await renderApp({
      appDir: dir,
      mode: 'auto',
      env: params([{ name: 'render', string: 'plain' }]),
      signal: new AbortController().signal,
      deadlineAt: Date.now() + 10_000,
      log: () => undefined,
      resolveValues: (t) => Promise.resolve(t),
      refusedParams: () => [],
    })
    expect(plain.map((i) => i.skipNonObjects)).toEqual([true, true])
  })
})
