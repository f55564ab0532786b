import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { DYNAMIC_PARAM_NAMES, RENDER_PARAM_NAMES } from '../../../src/render/param-names'
import { announceParameters, findValueFiles } from '../../../src/render/parameters'
import { testdir } from '../../support/testdir'

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'image:\n  tag: "1.0"\nreplicas: 1\n',
  'values-prod.yaml': 'replicas: 3\n',
  'prod-values.yml': '',
  'other.yaml': '',
  'sub/values-x.yaml': '',
}

describe('announceParameters', () => {
  test('a chart: value files found, current values flattened, configured entries on top', async () => {
    const dir = testdir(CHART)
    const announced = await announceParameters(dir, {
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'values-files', array: ['values-prod.yaml'] },
        { name: 'set', map: { 'image.tag': '2.0' } },
      ]),
    })
    expect(announced).toEqual([
      {
        name: 'values-files',
        title: 'Helm value files',
        tooltip: expect.stringContaining(
          'Found here: prod-values.yml, values-prod.yaml, values.yaml',
        ) as unknown,
        collectionType: 'array',
        array: ['values-prod.yaml'],
      },
      {
        name: 'set',
        title: 'Helm values (--set)',
        tooltip: expect.any(String) as unknown,
        collectionType: 'map',
        map: { 'image.tag': '2.0', replicas: '3' },
      },
    ])
  })

  test('the reduced env without parameters (null) and AVP inline values', async () => {
    const announced = await announceParameters(testdir(CHART), {
      ARGOCD_APP_PARAMETERS: 'null',
      ARGOCD_ENV_HELM_VALUES: 'replicas: 7\n',
    })
    expect(announced[0]?.array).toEqual([])
    expect(announced[1]?.map).toEqual({ 'image.tag': '1.0', replicas: '7' })
  })

  test('never fails on app content: broken values, bad parameters, escaping files', async () => {
    const dir = testdir({ ...CHART, 'values.yaml': 'a: [' })
    const announced = await announceParameters(dir, {
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'values-files', array: ['../../../etc/passwd'] },
      ]),
    })
    expect(announced.map((a) => a.name)).toEqual(['values-files', 'set'])
    expect(announced[1]?.map).toEqual({})
    const garbage = await announceParameters(testdir(CHART), { ARGOCD_APP_PARAMETERS: '{not json' })
    expect(garbage[1]?.map).toEqual({ 'image.tag': '1.0', replicas: '1' })
  })

  test('non-Helm apps announce nothing dynamic; the render parameter decides', async () => {
    expect(await announceParameters(testdir({ 'kustomization.yaml': '' }), {})).toEqual([])
    expect(await announceParameters(testdir({ 'a.yaml': '' }), {})).toEqual([])
    const plainChart = await announceParameters(testdir(CHART), {
      ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'render', string: 'plain' }]),
    })
    expect(plainChart).toEqual([])
  })

  test('big charts are capped', async () => {
    const values = Array.from({ length: 800 }, (_, i) => `k${String(i)}: ${String(i)}`).join('\n')
    const announced = await announceParameters(testdir({ ...CHART, 'values.yaml': values }), {})
    expect(Object.keys(announced[1]?.map ?? {})).toHaveLength(500)
  })

  test('findValueFiles: top level, "values" in the name, .yaml/.yml', async () => {
    expect(await findValueFiles(testdir(CHART))).toEqual([
      'prod-values.yml',
      'values-prod.yaml',
      'values.yaml',
    ])
    expect(await findValueFiles('/nonexistent-dir')).toEqual([])
  })
})

describe('plugin.yaml parameters', () => {
  const plugin = parse(
    fs.readFileSync(path.resolve(__dirname, '../../../plugin.yaml'), 'utf8'),
  ) as {
    spec: {
      parameters: {
        static: { name: string; collectionType?: string; map?: unknown; string?: string }[]
      }
    }
  }
  const statics = plugin.spec.parameters.static

  test('static + dynamic names are exactly the render parameters, none announced twice', () => {
    const names = statics.map((p) => p.name)
    expect([...names, ...DYNAMIC_PARAM_NAMES].sort()).toEqual([...RENDER_PARAM_NAMES].sort())
  })

  test('maps declare collectionType; defaults match the code', () => {
    for (const p of statics) {
      if (p.map !== undefined) expect(p.collectionType).toBe('map')
    }
    const defaults = Object.fromEntries(statics.map((p) => [p.name, p.string]))
    expect(defaults).toMatchObject({
      render: 'auto',
      'include-crds': 'true',
      'skip-tests': 'false',
      'ignore-missing-value-files': 'false',
      'resolve-values-placeholders': 'false',
      'enable-helm': 'false',
    })
  })
})
