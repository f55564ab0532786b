import { chunkApiVersions, templateArgs } from '../../../src/render/helm'
import type { HelmOptions } from '../../../src/render/helm-options'
import { escapeSetValue, setArgs } from '../../../src/render/helm-set'
import { testdir } from '../../support/testdir'

const base: HelmOptions = {
  releaseName: 'web',
  apiVersions: [],
  valueFiles: [],
  inlineValues: [],
  setMap: {},
  setStringMap: {},
  setRaw: [],
  setStringRaw: [],
  flags: ['--include-crds'],
  ignoreMissingValueFiles: false,
  resolveValuesPlaceholders: false,
}

describe('templateArgs', () => {
  test('every flag is one --flag=value word; release and chart after --', () => {
    expect(
      templateArgs(
        {
          ...base,
          namespace: 'prod',
          kubeVersion: '1.29.3',
          apiVersions: ['apps/v1', 'v1'],
          flags: ['--skip-tests'],
        },
        ['--values=/tmp/x/values-0.yaml', '--set=a=b'],
        '/repo/chart',
      ),
    ).toEqual([
      'template',
      '--namespace=prod',
      '--kube-version=1.29.3',
      '--api-versions=apps/v1,v1',
      '--skip-tests',
      '--values=/tmp/x/values-0.yaml',
      '--set=a=b',
      '--',
      'web',
      '/repo/chart',
    ])
  })

  test('the minimum', () => {
    expect(templateArgs(base, [], '/c')).toEqual(['template', '--include-crds', '--', 'web', '/c'])
  })
})

describe('chunkApiVersions', () => {
  test('groups stay under the limit, nothing is lost or reordered', () => {
    const versions = Array.from({ length: 100 }, (_, i) => `g${String(i)}.example.com/v1/Kind`)
    const chunks = chunkApiVersions(versions, 200)
    expect(chunks.length).toBeGreaterThan(10)
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(200)
    expect(chunks.join(',').split(',')).toEqual(versions)
  })

  test('empty and single', () => {
    expect(chunkApiVersions([])).toEqual([])
    expect(chunkApiVersions(['v1'])).toEqual(['v1'])
  })
})

describe('escapeSetValue (Argo CD cleanSetParameters)', () => {
  test.each([
    ['plain', 'plain'],
    ['a,b', 'a\\,b'],
    ['a,,b', 'a\\,\\,b'],
    ['a\\,b', 'a\\,b'],
    ['{a,b}', '{a,b}'],
    ['-x', '-x'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeSetValue(value)).toBe(escaped)
  })
})

describe('setArgs', () => {
  const chart = testdir({
    'values.yaml': 'image:\n  tag: "1.10"\nreplicas: 1\nflag.with.dots: x\n',
    'prod.yaml': 'replicas: 5\n',
  })

  test('entries equal to the current value are dropped, changed ones kept', async () => {
    const out = await setArgs(
      {
        ...base,
        setMap: { 'image.tag': '1.10', replicas: '1', 'flag\\.with\\.dots': 'x', extra: 'a,b' },
        setStringMap: { code: '007' },
        setRaw: ['raw=1,other=2'],
        setStringRaw: ['s=1'],
      },
      chart,
      [`${chart}/prod.yaml`],
    )
    // replicas=1 differs from the current 5 (prod.yaml), so it is passed.
    expect(out).toEqual({
      args: [
        '--set=replicas=1',
        '--set=extra=a\\,b',
        '--set-string=code=007',
        '--set=raw=1,other=2',
        '--set-string=s=1',
      ],
      unchanged: 2,
    })
  })

  test('inline values count as current values; unreadable values keep every entry', async () => {
    const inline = await setArgs(
      { ...base, setMap: { replicas: '9' }, inlineValues: [{ value: 'replicas: 9', origin: 'x' }] },
      chart,
      [],
    )
    expect(inline).toEqual({ args: [], unchanged: 1 })
    const broken = await setArgs(
      { ...base, setMap: { replicas: '1' }, inlineValues: [{ value: 'a: [', origin: 'x' }] },
      chart,
      [],
    )
    expect(broken).toEqual({ args: ['--set=replicas=1'], unchanged: 0 })
  })
})
