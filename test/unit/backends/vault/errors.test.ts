import {
  firstError,
  notJsonSuccess,
  statusFailure,
  transportFailure,
} from '../../../../src/backends/vault/errors'

const WHAT = 'reading secret/data/app'

test.each([
  [{ errors: ['1 error occurred:\n\t* permission denied\n\n'] }, 'permission denied'],
  [
    { errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] },
    'permission denied; invalid token',
  ],
  [{ errors: ['invalid role or secret ID'] }, 'invalid role or secret ID'],
  [{ errors: [] }, undefined],
  ['<html>502</html>', undefined],
  [{ errors: ['x'.repeat(500)] }, `${'x'.repeat(200)}…`],
])('firstError(%j)', (body, expected) => {
  expect(firstError(body)).toBe(expected)
})

test.each([
  [
    403,
    { errors: ['1 error occurred:\n\t* permission denied\n\n'] },
    'ACCESS_DENIED',
    'permission denied reading secret/data/app',
  ],
  [
    403,
    { errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] },
    'AUTH_FAILED',
    'the Vault token was refused (revoked, expired or wrong) reading secret/data/app',
  ],
  [
    429,
    { errors: ['request path "secret/data/app": rate limit quota exceeded'] },
    'THROTTLED',
    'Vault rate limit exceeded reading secret/data/app (429, still throttled after 4 attempts): request path "secret/data/app": rate limit quota exceeded',
  ],
  [
    503,
    { errors: ['Vault is sealed'] },
    'UNAVAILABLE',
    'Vault is sealed (503 reading secret/data/app)',
  ],
  [
    500,
    { errors: ['internal error'] },
    'UNAVAILABLE',
    'Vault answered 500 reading secret/data/app: internal error',
  ],
  [
    502,
    '<html>Bad Gateway</html>',
    'UNAVAILABLE',
    'Vault answered 502 reading secret/data/app (the answer is not JSON: a proxy or load balancer in front of Vault?)',
  ],
  [
    400,
    { errors: ['bad request'] },
    'BACKEND_ERROR',
    'Vault answered 400 reading secret/data/app: bad request',
  ],
])('status %i → %s', (status, body, code, message) => {
  expect(statusFailure({ status, body }, WHAT, 4)).toEqual({ code, message })
})

test.each([
  [
    'ECONNREFUSED',
    'UNAVAILABLE',
    'cannot connect to Vault at http://127.0.0.1:8200: ECONNREFUSED (reading secret/data/app)',
  ],
  [
    'TIMEOUT',
    'TIMEOUT',
    'Vault did not answer reading secret/data/app within 2.5 s (AVP_VAULT_TIMEOUT)',
  ],
  [
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNAVAILABLE',
    "TLS verification of Vault at http://127.0.0.1:8200 failed reading secret/data/app: SELF_SIGNED_CERT_IN_CHAIN (set VAULT_CACERT or VAULT_CAPATH to the CA of Vault's certificate)",
  ],
  [
    'EMSGSIZE',
    'BACKEND_ERROR',
    "Vault's answer reading secret/data/app is larger than 4 MiB; it was not read",
  ],
  [
    'ERR_REDIRECT',
    'UNAVAILABLE',
    'Vault at http://127.0.0.1:8200 redirected reading secret/data/app in a loop or from https to http; the redirect was not followed',
  ],
])('transport %s → %s', (code, expected, message) => {
  expect(
    transportFailure(code, WHAT, { address: 'http://127.0.0.1:8200', requestTimeoutMs: 2500 }),
  ).toEqual({
    code: expected,
    message,
  })
})

test.each([
  [200, '{"data": {"pass', true],
  [204, 'not json', true],
  [200, '', false],
  [200, { data: {} }, false],
  [502, '<html>502</html>', false],
])('a %i answer with body %j is a failure: %s', (status, body, failed) => {
  const failure = notJsonSuccess({ status, body }, WHAT)
  expect(failure).toEqual(
    failed
      ? {
          code: 'BACKEND_ERROR',
          message: `Vault answered ${String(status)} reading secret/data/app with a body that is not JSON (cut short, or a proxy or load balancer in front of Vault?)`,
        }
      : undefined,
  )
})
