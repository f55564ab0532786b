import fs from 'node:fs'
import path from 'node:path'
import { isWithin, repoRootOf, resolveInside } from '../../../src/render/safe-path'
import { testdir } from '../../support/testdir'

describe('repoRootOf', () => {
  test.each([
    ['/w/repo/apps/web', 'apps/web', '/w/repo'],
    ['/w/repo/apps/web', './apps/web/', '/w/repo'],
    ['/w/repo/apps/web', '.', '/w/repo/apps/web'],
    ['/w/repo/apps/web', '', '/w/repo/apps/web'],
    ['/w/repo/apps/web', 'other/web', '/w/repo/apps/web'], // does not match: only the app dir
    ['/w/repo/apps/web', '../web', '/w/repo/apps/web'],
    ['/w/repo/apps/web', '/apps/web', '/w/repo/apps/web'],
  ])('%s with ARGOCD_APP_SOURCE_PATH=%j → %s', (appDir, source, root) => {
    expect(repoRootOf(appDir, { ARGOCD_APP_SOURCE_PATH: source })).toBe(root)
  })

  test('no ARGOCD_APP_SOURCE_PATH: the app dir', () => {
    expect(repoRootOf('/w/app', {})).toBe('/w/app')
  })
})

describe('resolveInside', () => {
  const root = testdir({ 'apps/web/values.yaml': 'a: 1', 'shared/values.yaml': 'b: 2' })
  const app = path.join(root, 'apps/web')
  fs.symlinkSync('/etc/hostname', path.join(app, 'evil.yaml'))
  fs.symlinkSync('../../shared/values.yaml', path.join(app, 'ok-link.yaml'))
  fs.mkdirSync(path.join(app, 'dir.yaml'))

  test.each([
    ['values.yaml', { ok: true, path: path.join(app, 'values.yaml'), exists: true }],
    [
      '../../shared/values.yaml',
      { ok: true, path: path.join(root, 'shared/values.yaml'), exists: true },
    ],
    [
      path.join(root, 'shared/values.yaml'),
      { ok: true, path: path.join(root, 'shared/values.yaml'), exists: true },
    ],
    ['ok-link.yaml', { ok: true, path: path.join(app, 'ok-link.yaml'), exists: true }],
    ['missing.yaml', { ok: true, path: path.join(app, 'missing.yaml'), exists: false }],
    ['../../../etc/passwd', { ok: false, failure: 'is outside the repository' }],
    ['/etc/passwd', { ok: false, failure: 'is outside the repository' }],
    ['evil.yaml', { ok: false, failure: 'is a symlink to a file outside the repository' }],
    ['dir.yaml', { ok: false, failure: 'is not a file' }],
    [
      'https://example.com/v.yaml',
      { ok: false, failure: 'is a URL; only files in the repository are supported' },
    ],
    [' ', { ok: false, failure: 'is empty' }],
  ])('%j', async (ref, expected) => {
    expect(await resolveInside(ref, app, root)).toEqual(expected)
  })

  test('with the app dir as root, ../ is outside', async () => {
    expect(await resolveInside('../../shared/values.yaml', app, app)).toEqual({
      ok: false,
      failure: 'is outside the repository',
    })
  })
})

describe('isWithin', () => {
  test.each([
    ['/a/b', '/a', true],
    ['/a', '/a', true],
    ['/a/..b', '/a', true],
    ['/ab', '/a', false],
    ['/', '/a', false],
  ])('%s in %s: %s', (target, root, within) => {
    expect(isWithin(target, root)).toBe(within)
  })
})
