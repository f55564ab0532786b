import { RenderError } from '../../../src/errors'
import { ensureDependencies, unvendoredDependencies } from '../../../src/render/helm-deps'
import { testdir } from '../../support/testdir'

const chartWith = (deps: string, files: Record<string, string> = {}): string =>
  testdir({ 'Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\n${deps}`, ...files })

const DEPS = [
  'dependencies:',
  '  - {name: redis, version: 1.0.0, repository: "https://user:pw@charts.example.com"}',
  '  - {name: common, version: 2.x, repository: "https://charts.example.com"}',
  '  - {name: local, version: 0.1.0, repository: "file://../local"}',
  '  - {name: oci, version: 1.0.0, repository: "oci://registry.example.com/charts"}',
  '',
].join('\n')

describe('unvendoredDependencies', () => {
  test('a directory or a <name>-<version>.tgz in charts/ counts as vendored', async () => {
    const chart = chartWith(DEPS, { 'charts/redis/Chart.yaml': '', 'charts/common-2.3.1.tgz': '' })
    expect((await unvendoredDependencies(chart)).map((d) => d.name)).toEqual(['local', 'oci'])
  })

  test('requirements.yaml (apiVersion v1), none, or an unreadable Chart.yaml', async () => {
    const v1 = testdir({
      'Chart.yaml': 'apiVersion: v1\nname: a\nversion: 1.0.0\n',
      'requirements.yaml': 'dependencies:\n  - {name: x, repository: "https://r"}\n',
    })
    expect(await unvendoredDependencies(v1)).toEqual([{ name: 'x', repository: 'https://r' }])
    expect(await unvendoredDependencies(chartWith(''))).toEqual([])
    expect(await unvendoredDependencies(testdir({ 'Chart.yaml': ': [' }))).toEqual([])
  })
})

describe('ensureDependencies', () => {
  test('adds each http(s) repository once, then builds; credentials never reach a message', async () => {
    const chart = chartWith(DEPS)
    const calls: string[][] = []
    await ensureDependencies(
      chart,
      (args) => {
        calls.push([...args])
        return Promise.resolve('')
      },
      () => undefined,
    )
    expect(calls).toEqual([
      [
        'repo',
        'add',
        '--force-update',
        expect.stringMatching(/^asp-[0-9a-f]{16}$/),
        'https://user:pw@charts.example.com',
      ],
      [
        'repo',
        'add',
        '--force-update',
        expect.stringMatching(/^asp-[0-9a-f]{16}$/),
        'https://charts.example.com',
      ],
      ['dependency', 'build', '--skip-refresh', chart],
    ])
  })

  test('nothing to do when everything is vendored', async () => {
    const chart = chartWith('dependencies:\n  - {name: a, repository: "https://r"}\n', {
      'charts/a/Chart.yaml': '',
    })
    const run = jest.fn(() => Promise.resolve(''))
    await ensureDependencies(chart, run, () => undefined)
    expect(run).not.toHaveBeenCalled()
  })

  test('failures name the dependency and repository', async () => {
    const chart = chartWith(DEPS)
    const fail = (): Promise<string> =>
      Promise.reject(new RenderError('helm repo add failed with exit code 1: boom'))
    await expect(ensureDependencies(chart, fail, () => undefined)).rejects.toThrow(
      'cannot reach the chart repository of dependency "redis" (https://charts.example.com): helm repo add failed with exit code 1: boom',
    )
    const buildFails = (args: readonly string[]): Promise<string> =>
      args[0] === 'repo'
        ? Promise.resolve('')
        : Promise.reject(new RenderError('helm dependency build failed'))
    await expect(ensureDependencies(chart, buildFails, () => undefined)).rejects.toThrow(
      'cannot fetch chart dependencies not vendored in charts/ (redis from https://charts.example.com, common from https://charts.example.com, local from file://../local, oci from oci://registry.example.com/charts): helm dependency build failed',
    )
  })
})
