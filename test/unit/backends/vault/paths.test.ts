import {
  encodePath,
  isUnder,
  kvV2DataPath,
  splitSecretPath,
  withoutData,
} from '../../../../src/backends/vault/paths'

describe('splitSecretPath', () => {
  test.each([
    ['secret/data/app', ['secret', 'data', 'app']],
    ['/secret/app/', ['secret', 'app']],
    ['team/kv/a b#c', ['team', 'kv', 'a b#c']],
  ])('%s', (path, segments) => {
    expect(splitSecretPath(path)).toEqual(segments)
  })

  test.each([
    ['', 'it is empty'],
    ['secret//app', 'empty segment'],
    ['secret/../sys/policy', '"." and ".." segments are not allowed'],
    ['secret/./app', '"." and ".." segments are not allowed'],
  ])('rejects %j', (path, why) => {
    expect(splitSecretPath(path)).toEqual(expect.stringContaining(why))
  })
})

describe('encodePath', () => {
  test.each([
    [['secret', 'data', 'my app'], 'secret/data/my%20app'],
    [['secret', 'data', 'a#b?c'], 'secret/data/a%23b%3Fc'],
    [['secret', 'data', '100%&x=y'], 'secret/data/100%25%26x%3Dy'],
    [['auth', 'userpass', 'login', "o'brien(1)*!"], 'auth/userpass/login/o%27brien%281%29%2A%21'],
    [['auth', 'userpass', 'login', 'a/b'], 'auth/userpass/login/a%2Fb'],
    [['secret', 'data', 'ünïcode'], 'secret/data/%C3%BCn%C3%AFcode'],
  ])('%j → %s', (segments, encoded) => {
    expect(encodePath(segments)).toBe(encoded)
  })

  test('leaves no character that mustache would HTML-escape or a URL would cut (node-vault)', () => {
    expect(encodePath(['a&b<c>d"e\'f`g=h/i#j?k'])).toMatch(/^[A-Za-z0-9%._~-]+$/)
  })
})

describe('KV v2 data path', () => {
  test.each([
    [['secret', 'app'], 1, 'secret/data/app'],
    [['secret', 'data', 'app'], 1, 'secret/data/app'],
    [['team', 'kv', 'app', 'db'], 2, 'team/kv/data/app/db'],
    [['team', 'kv', 'data', 'app'], 2, 'team/kv/data/app'],
  ])('%j with a mount of %i segment(s) → %s', (path, mountLength, expected) => {
    expect(kvV2DataPath(path, mountLength).join('/')).toBe(expected)
  })

  test('withoutData removes data/ only right after the mount', () => {
    expect(withoutData(['kv', 'data', 'app'], 1).join('/')).toBe('kv/app')
    expect(withoutData(['kv', 'app', 'data'], 1).join('/')).toBe('kv/app/data')
  })

  test('isUnder compares whole segments', () => {
    expect(isUnder(['secret', 'app'], ['secret'])).toBe(true)
    expect(isUnder(['secrets', 'app'], ['secret'])).toBe(false)
    expect(isUnder(['secret'], ['secret', 'app'])).toBe(false)
  })
})
