import { transportCode } from '../../../../src/backends/vault/translate-error'

const TOKEN = 'hvs.canary-token-in-header'

/** Shaped like the errors `node:http` emits: a message quoting the host, a code, sometimes a cause. */
function nodeLikeError(code: unknown): Error {
  return Object.assign(new Error(`connect ${String(code)} 127.0.0.1:8200 ${TOKEN}`), {
    code,
    address: '127.0.0.1',
    port: 8200,
  })
}

test.each([
  ['ECONNREFUSED', 'ECONNREFUSED'],
  ['ECONNRESET', 'ECONNRESET'],
  ['ETIMEDOUT', 'TIMEOUT'],
  ['ERR_SOCKET_CONNECTION_TIMEOUT', 'TIMEOUT'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [undefined, 'UNKNOWN'],
  [42, 'UNKNOWN'],
  [`E ${TOKEN}`, 'UNKNOWN'],
  ['econnrefused', 'UNKNOWN'],
])('a Node error with code %s is %s, and nothing else of it is kept', (code, expected) => {
  const translated = transportCode(nodeLikeError(code))
  expect(translated).toBe(expected)
  expect(translated).not.toContain('canary')
})

test('the code of a wrapped cause is used when the outer error has none', () => {
  const err = Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } })
  expect(transportCode(err)).toBe('ECONNREFUSED')
})

test('anything that is not an error with a code is UNKNOWN', () => {
  expect(transportCode(new TypeError('Cannot convert undefined or null to object'))).toBe('UNKNOWN')
  expect(transportCode(null)).toBe('UNKNOWN')
  expect(transportCode('ECONNREFUSED')).toBe('UNKNOWN')
})
