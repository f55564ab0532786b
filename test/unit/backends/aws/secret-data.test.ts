import { toSecretData } from '../../../../src/backends/aws/secret-data'

test('a JSON object gives its fields with their JSON types, plus the whole string', () => {
  const text = '{"user":"admin","port":5432,"tls":true,"tags":["a"],"nested":{"k":"v"},"none":null}'
  expect(toSecretData({ secretString: text })).toEqual({
    user: 'admin',
    port: 5432,
    tls: true,
    tags: ['a'],
    nested: { k: 'v' },
    none: null,
    SecretString: text,
  })
})

test('a JSON object with its own SecretString field keeps that field', () => {
  expect(toSecretData({ secretString: '{"SecretString":"mine"}' })).toEqual({
    SecretString: 'mine',
  })
})

test.each(['plain text', '"a JSON string"', '[1,2]', '42', 'null', '{not json', ''])(
  'a SecretString that is not a JSON object is available whole: %p',
  (text) => {
    expect(toSecretData({ secretString: text })).toEqual({ SecretString: text })
  },
)

test('SecretBinary is base64-encoded under SecretBinary', () => {
  expect(toSecretData({ secretBinary: new Uint8Array([0, 1, 2, 250, 255]) })).toEqual({
    SecretBinary: 'AAEC+v8=',
  })
})

test('neither string nor binary gives undefined', () => {
  expect(toSecretData({ name: 'x' })).toBeUndefined()
})

test('a __proto__ field stays an ordinary key', () => {
  const data = toSecretData({ secretString: '{"__proto__":{"polluted":1},"a":1}' })
  expect(Object.hasOwn(data ?? {}, '__proto__')).toBe(true)
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
})
