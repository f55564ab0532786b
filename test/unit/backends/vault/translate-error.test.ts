import { inspect } from 'node:util'
import { translateError } from '../../../../src/backends/vault/translate-error'

const TOKEN = 'hvs.canary-token-in-header'
const SECRET_ID = 'canary-secret-id-in-body'

/** Shaped like the AxiosError node-vault passes through on a transport failure (docs/design/vault-wire.md). */
function axiosLikeError(code: string | undefined): Error {
  const err = new Error(`connect ${code ?? ''} 127.0.0.1:8200 ${TOKEN}`) as Error &
    Record<string, unknown>
  err.name = 'AxiosError'
  err['code'] = code
  err['isAxiosError'] = true
  err['config'] = {
    url: 'http://127.0.0.1:8200/v1/auth/approle/login',
    headers: { 'X-Vault-Token': TOKEN, 'X-Vault-Namespace': 'team-a' },
    data: JSON.stringify({ role_id: 'r', secret_id: SECRET_ID }),
  }
  err['request'] = { _header: `POST /v1/auth/approle/login\r\nX-Vault-Token: ${TOKEN}` }
  err.cause = Object.assign(new Error(`cause ${SECRET_ID}`), { code })
  return err
}

function leaks(value: unknown): boolean {
  const text = `${JSON.stringify(value)} ${inspect(value, { depth: 10, showHidden: true })} ${String(value)}`
  return text.includes(TOKEN) || text.includes(SECRET_ID)
}

test.each([
  ['ECONNREFUSED', 'ECONNREFUSED'],
  ['ECONNRESET', 'ECONNRESET'],
  ['ECONNABORTED', 'TIMEOUT'],
  ['ETIMEDOUT', 'TIMEOUT'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [undefined, 'UNKNOWN'],
  [`E ${TOKEN}`, 'UNKNOWN'],
])(
  'an axios error with code %s becomes a transport error %s carrying neither token nor body',
  (code, expected) => {
    const translated = translateError(axiosLikeError(code))
    expect(translated.kind).toBe('transport')
    if (translated.kind !== 'transport') return
    expect(translated.error.code).toBe(expected)
    expect(translated.error.message).toBe(`Vault request failed: ${expected}`)
    expect(leaks(translated)).toBe(false)
    expect(translated.error.cause).toBeUndefined()
  },
)

test('the code of a wrapped cause is used when the outer error has none', () => {
  const err = Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } })
  expect(translateError(err)).toMatchObject({ kind: 'transport', error: { code: 'ECONNREFUSED' } })
})

test('an ApiResponseError becomes the raw status and body, nothing else', () => {
  const err = Object.assign(new Error(`invalid role or secret ID ${SECRET_ID}`), {
    response: { statusCode: 400, body: { errors: ['invalid role or secret ID'] } },
    config: { headers: { 'X-Vault-Token': TOKEN } },
  })
  const translated = translateError(err)
  expect(translated).toEqual({
    kind: 'response',
    response: { status: 400, body: { errors: ['invalid role or secret ID'] } },
  })
  expect(leaks(translated)).toBe(false)
})

test('a KV v2 deleted-version rejection keeps its metadata envelope', () => {
  const body = {
    data: { data: null, metadata: { version: 3, deletion_time: '2024-05-01T10:00:00Z' } },
  }
  const err = Object.assign(new Error('Status 404'), { response: { statusCode: 404, body } })
  expect(translateError(err)).toEqual({ kind: 'response', response: { status: 404, body } })
})

test('a tv4 schema error or anything else is UNKNOWN', () => {
  expect(
    translateError({ code: 302, message: `Missing ${SECRET_ID}`, dataPath: '/x' }),
  ).toMatchObject({
    error: { code: 'UNKNOWN' },
  })
  expect(translateError(new TypeError('Cannot convert undefined or null to object'))).toMatchObject(
    {
      error: { code: 'UNKNOWN' },
    },
  )
  expect(translateError(null)).toMatchObject({ error: { code: 'UNKNOWN' } })
})
