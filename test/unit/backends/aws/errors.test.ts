import { classifyFailure, type FailureContext } from '../../../../src/backends/aws/errors'
import { facts } from './in-memory-port'

const ctx: FailureContext = { label: 'secret app/db', deadlineMs: 50_000, deadlineHit: false }

test.each([
  [
    'ResourceNotFoundException',
    {},
    'SECRET_NOT_FOUND',
    'secret app/db not found in AWS Secrets Manager (ResourceNotFoundException, HTTP 404)',
  ],
  [
    'InvalidRequestException',
    { deletion: true },
    'SECRET_NOT_FOUND',
    'secret app/db is scheduled for deletion (InvalidRequestException, HTTP 404)',
  ],
  [
    'InvalidRequestException',
    {},
    'BACKEND_ERROR',
    'AWS rejected the request for secret app/db; check the path and version (InvalidRequestException, HTTP 404)',
  ],
  [
    'AccessDeniedException',
    {},
    'ACCESS_DENIED',
    'access denied to secret app/db: the role needs secretsmanager:GetSecretValue on it (AccessDeniedException, HTTP 404)',
  ],
  [
    'DecryptionFailure',
    {},
    'DECRYPTION_FAILED',
    "AWS KMS could not decrypt secret app/db: the role needs kms:Decrypt on the secret's KMS key (DecryptionFailure, HTTP 404)",
  ],
  [
    'ExpiredTokenException',
    {},
    'AUTH_FAILED',
    'AWS did not accept the credentials while reading secret app/db (ExpiredTokenException, HTTP 404)',
  ],
  [
    'ThrottlingException',
    { attempts: 3 },
    'THROTTLED',
    'AWS throttled the requests for secret app/db until the retries ran out (AWS_MAX_ATTEMPTS) (ThrottlingException, HTTP 404, 3 attempts)',
  ],
  [
    'InternalServiceError',
    { fault: 'server' as const },
    'UNAVAILABLE',
    'AWS Secrets Manager failed while reading secret app/db (InternalServiceError, HTTP 404)',
  ],
  [
    'SyntaxError',
    {},
    'BACKEND_ERROR',
    'AWS Secrets Manager sent an answer that is not valid JSON for secret app/db (body not JSON, HTTP 404)',
  ],
  ['SomethingNew', {}, 'BACKEND_ERROR', 'reading secret app/db failed (SomethingNew, HTTP 404)'],
])('%s %p → %s', (name, more, code, message) => {
  // moto's 404 for every client error: the status never decides (docs/design/aws-wire.md).
  expect(classifyFailure(facts(name, { httpStatus: 404, ...more }), ctx)).toEqual({ code, message })
})

test('an unmodelled 500 is UNAVAILABLE by its fault, an unknown 429 THROTTLED', () => {
  expect(classifyFailure(facts('UnknownError', { fault: 'server' }), ctx).code).toBe('UNAVAILABLE')
  expect(classifyFailure(facts('UnknownError', { httpStatus: 429 }), ctx).code).toBe('THROTTLED')
})

test('network failures name their code, not the generic Error', () => {
  expect(
    classifyFailure(facts('Error', { networkCode: 'ECONNREFUSED', attempts: 3 }), ctx),
  ).toEqual({
    code: 'UNAVAILABLE',
    message: 'could not reach AWS Secrets Manager for secret app/db (ECONNREFUSED, 3 attempts)',
  })
  expect(classifyFailure(facts('TimeoutError', { networkCode: 'ETIMEDOUT' }), ctx).code).toBe(
    'UNAVAILABLE',
  )
})

test('no credentials at all says where the SDK looked', () => {
  const failure = classifyFailure(facts('CredentialsProviderError'), ctx)
  expect(failure.code).toBe('AUTH_FAILED')
  expect(failure.message).toMatch(/^no AWS credentials found for reading secret app\/db: .*IRSA/)
})

test('an abort at the deadline: TIMEOUT, or THROTTLED when AWS was throttling', () => {
  const at = { ...ctx, deadlineHit: true }
  expect(classifyFailure(facts('AbortError', { aborted: true }), at)).toEqual({
    code: 'TIMEOUT',
    message:
      'AWS Secrets Manager did not answer within the 50 s deadline (AVP_DEADLINE) while reading secret app/db',
  })
  expect(classifyFailure(facts('AbortError', { aborted: true, throttled: true }), at)).toEqual({
    code: 'THROTTLED',
    message:
      'AWS throttled the requests and they could not finish within the 50 s deadline (AVP_DEADLINE) while reading secret app/db',
  })
  expect(classifyFailure(facts('AbortError', { aborted: true }), ctx)).toEqual({
    code: 'TIMEOUT',
    message: 'reading secret app/db was cancelled (the run was stopped)',
  })
})

test('a name that is not identifier-like is never printed', () => {
  const failure = classifyFailure(facts('canary value with spaces'), ctx)
  expect(failure.message).toBe('reading secret app/db failed (UnknownError)')
})
