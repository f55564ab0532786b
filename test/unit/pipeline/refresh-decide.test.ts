// The pure parts of `refresh`: which Applications count, what their objects
// recorded, and when a change means a hard refresh.
import type { CurrentVersion } from '../../../src/backends/types'
import { readApplication } from '../../../src/pipeline/refresh/applications'
import { decide } from '../../../src/pipeline/refresh/decide'
import { parseRecorded } from '../../../src/pipeline/refresh/live-versions'
import { objectPath, rbacName } from '../../../src/pipeline/refresh/resource-paths'

const PLUGIN = 'argocd-secret-plugin'

describe('readApplication', () => {
  const app = (spec: unknown, extra: Record<string, unknown> = {}) =>
    readApplication({ metadata: { name: 'a', ...extra }, spec }, PLUGIN)

  test.each([
    [{ source: { plugin: { name: PLUGIN } } }, true],
    [{ sources: [{ helm: {} }, { plugin: { name: PLUGIN } }] }, true],
    [{ source: { plugin: { name: 'other' } } }, false],
    [{ source: { plugin: {} } }, false],
    [{ source: { helm: {} } }, false],
    [undefined, false],
  ])('%j uses the plugin: %s', (spec, uses) => {
    expect(app(spec)?.usesPlugin).toBe(uses)
  })

  test('another cluster is remote; the in-cluster server or name is not', () => {
    const base = { source: { plugin: { name: PLUGIN } } }
    expect(app({ ...base, destination: { server: 'https://prod.example' } })?.remote).toBe(
      'https://prod.example',
    )
    expect(app({ ...base, destination: { name: 'prod' } })?.remote).toBe('prod')
    expect(
      app({ ...base, destination: { server: 'https://kubernetes.default.svc' } })?.remote,
    ).toBeUndefined()
    expect(app({ ...base, destination: { name: 'in-cluster' } })?.remote).toBeUndefined()
  })

  test('an item without a name is dropped; malformed resources are skipped', () => {
    expect(readApplication({ metadata: {} }, PLUGIN)).toBeUndefined()
    const read = readApplication(
      {
        metadata: { name: 'a' },
        status: {
          resources: [
            { version: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'c' },
            { group: 'apps', version: 'v1', kind: 'Deployment', name: 'cluster-wide' },
            { version: 'v1', kind: 'ConfigMap' },
            'nonsense',
          ],
        },
      },
      PLUGIN,
    )
    expect(read?.resources).toEqual([
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'c' },
      { group: 'apps', version: 'v1', kind: 'Deployment', name: 'cluster-wide' },
    ])
  })
})

test('object paths and RBAC names, core and named groups, namespaced or not', () => {
  const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'n s', name: 'c' }
  expect(objectPath(cm, { plural: 'configmaps', namespaced: true })).toBe(
    '/api/v1/namespaces/n%20s/configmaps/c',
  )
  const cr = { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', name: 'r' }
  expect(objectPath(cr, { plural: 'clusterroles', namespaced: false })).toBe(
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/r',
  )
  expect(rbacName(cr, { plural: 'clusterroles', namespaced: false })).toBe(
    'clusterroles.rbac.authorization.k8s.io',
  )
  expect(rbacName(cm, { plural: 'configmaps', namespaced: true })).toBe('configmaps')
})

test.each([
  [undefined, []],
  [
    '{"secret/data/a":"3","secret/data/b":"7"}',
    [
      ['secret/data/a', '3'],
      ['secret/data/b', '7'],
    ],
  ],
  ['not json', 'invalid'],
  ['["a"]', 'invalid'],
  ['{"a":3}', 'invalid'],
  ['{"":"3"}', 'invalid'],
  [42, 'invalid'],
])('recorded annotation %j', (value, expected) => {
  const parsed = parseRecorded(value)
  expect(parsed === 'invalid' ? parsed : [...parsed]).toEqual(expected)
})

describe('decide', () => {
  const view = { name: 'a', usesPlugin: true, resources: [] }
  const current = new Map<string, CurrentVersion>([
    ['secret/data/a', { kind: 'current', version: '4' }],
    ['secret/data/b', { kind: 'current', version: '7' }],
    ['secret/data/gone', { kind: 'gone', why: 'secret/data/gone no longer exists' }],
    ['secret/data/err', { kind: 'failed', failure: { code: 'ACCESS_DENIED', message: 'no' } }],
  ])
  const recorded = (entries: [string, string[]][]) =>
    new Map(entries.map(([p, v]) => [p, new Set(v)]))

  test('nothing moved, or only unanswered secrets: no refresh', () => {
    expect(decide(view, recorded([['secret/data/b', ['7']]]), current)).toEqual({
      kind: 'current',
    })
    expect(decide(view, recorded([['secret/data/err', ['1']]]), current)).toEqual({
      kind: 'current',
    })
  })

  test('a moved and a deleted secret: refresh, with every reason and a marker', () => {
    const decision = decide(
      view,
      recorded([
        ['secret/data/a', ['3']],
        ['secret/data/b', ['7']],
        ['secret/data/gone', ['2']],
      ]),
      current,
    )
    expect(decision).toEqual({
      kind: 'refresh',
      reasons: [
        'secret/data/a moved from version 3 to 4',
        'secret/data/gone no longer exists (recorded version 2)',
      ],
      marker: '{"secret/data/a":"4","secret/data/gone":"deleted"}',
    })
  })

  test('objects half-synced (3 and 4 recorded) still refresh', () => {
    const decision = decide(view, recorded([['secret/data/a', ['3', '4']]]), current)
    expect(decision.kind).toBe('refresh')
    expect(decision.kind === 'refresh' && decision.reasons).toEqual([
      'secret/data/a moved from version 3 to 4',
    ])
  })

  test('the same move already refreshed for: pending; a newer move: refresh again', () => {
    const moved = recorded([['secret/data/a', ['3']]])
    const marked = { ...view, refreshedFor: '{"secret/data/a":"4"}' }
    expect(decide(marked, moved, current).kind).toBe('pending')
    const older = { ...view, refreshedFor: '{"secret/data/a":"3"}' }
    expect(decide(older, moved, current).kind).toBe('refresh')
  })
})
