import path from 'node:path'
import { detectMode } from '../../../src/render/detect'
import { chooseMode } from '../../../src/render/render-app'
import { UsageError } from '../../../src/errors'
import { testdir } from '../../support/testdir'

describe('detectMode', () => {
  test.each([
    [{ 'Chart.yaml': '' }, 'helm'],
    [{ 'Chart.yaml': '', 'kustomization.yaml': '' }, 'helm'],
    [{ 'kustomization.yaml': '' }, 'kustomize'],
    [{ 'kustomization.yml': '' }, 'kustomize'],
    [{ Kustomization: '' }, 'kustomize'],
    [{ 'a.yaml': '', 'sub/Chart.yaml': '', 'sub/kustomization.yaml': '' }, 'plain'],
    [{ 'Chart.yaml/x': '' }, 'plain'], // a directory named Chart.yaml is not a chart
  ])('%j → %s', async (files, mode) => {
    expect(await detectMode(testdir(files))).toBe(mode)
  })

  test('a file path (generate file.yaml) is plain', async () => {
    const dir = testdir({ 'a.yaml': '' })
    expect(await detectMode(path.join(dir, 'a.yaml'))).toBe('plain')
  })
})

describe('chooseMode', () => {
  const chart = testdir({ 'Chart.yaml': '' })
  const param = (value: string) => new Map([['render', { string: value }]])

  test('the flag wins over the parameter, which wins over detection', async () => {
    expect(await chooseMode('kustomize', param('plain'), chart)).toBe('kustomize')
    expect(await chooseMode('auto', param('plain'), chart)).toBe('plain')
    expect(await chooseMode('auto', param(' Auto '), chart)).toBe('helm')
    expect(await chooseMode('auto', param(''), chart)).toBe('helm')
    expect(await chooseMode('auto', new Map(), chart)).toBe('helm')
  })

  test('an unknown render parameter is a usage error', async () => {
    await expect(chooseMode('auto', param('jsonnet'), chart)).rejects.toThrow(UsageError)
  })
})
