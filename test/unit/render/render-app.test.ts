import { ConfigError } from '../../../src/errors'
import type { DebugEvent } from '../../../src/log'
import { renderApp, type RenderAppRequest as RenderRequest } from '../../support/render-app'
import { testdir } from '../../support/testdir'

function request(appDir: string, extra: Partial<RenderRequest> = {}): RenderRequest {
  return {
    appDir,
    mode: 'auto',
    env: {},
    signal: new AbortController().signal,
    deadlineAt: Date.now() + 10_000,
    log: () => undefined,
    resolveValues: () => Promise.reject(new Error('not expected')),
    refusedParams: () => [],
    ...extra,
  }
}

describe('renderApp without tools', () => {
  test('plain directories are read as files (no child process)', async () => {
    const dir = testdir({ 'b.yaml': 'kind: B', 'a.yml': 'kind: A', 'notes.txt': 'x' })
    const out = await renderApp(request(dir, { displayPath: 'app' }))
    expect(out).toEqual([
      { source: 'app/a.yml', text: 'kind: A', skipNonObjects: true },
      { source: 'app/b.yaml', text: 'kind: B', skipNonObjects: true },
    ])
  })

  test('--render plain on a chart directory', async () => {
    const dir = testdir({ 'Chart.yaml': 'name: x', 'cm.yaml': 'kind: ConfigMap' })
    const out = await renderApp(request(dir, { mode: 'plain' }))
    expect(out.map((i) => i.text)).toEqual(['name: x', 'kind: ConfigMap'])
  })

  test('unknown parameters are a debug note, not an error', async () => {
    const events: DebugEvent[] = []
    await renderApp(
      request(testdir({ 'a.yaml': 'kind: A' }), {
        env: { ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'vault-namespace', string: 'x' }]) },
        log: (e) => events.push(e),
      }),
    )
    expect(events).toEqual([
      { kind: 'note', message: 'plugin parameter vault-namespace is not a render option' },
    ])
  })

  test('bad Helm or Kustomize parameters fail before any tool runs', async () => {
    const chart = testdir({ 'Chart.yaml': '' })
    await expect(
      renderApp(
        request(chart, {
          env: { ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'skip-tests', string: 'x' }]) },
        }),
      ),
    ).rejects.toThrow(ConfigError)
    const kustomization = testdir({ 'kustomization.yaml': '' })
    await expect(
      renderApp(
        request(kustomization, {
          env: {
            ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'load-restrictor', string: 'x' }]),
          },
        }),
      ),
    ).rejects.toThrow(
      'plugin parameter "load-restrictor" must be LoadRestrictionsRootOnly or LoadRestrictionsNone',
    )
  })
})
