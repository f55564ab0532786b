import { classifyFailure, isRetryable } from '../../../../src/backends/gcp/errors'
import type { GcpCallFacts } from '../../../../src/backends/gcp/port-types'

const ctx = {
  label: 'secret projects/p/secrets/db',
  deadlineMs: 5000,
  deadlineHit: true,
  attempts: 1,
}

test.each<[GcpCallFacts, string]>([
  [{ aborted: false, status: 'NOT_FOUND', httpStatus: 404 }, 'SECRET_NOT_FOUND'],
  [{ aborted: false, status: 'FAILED_PRECONDITION', versionState: 'DESTROYED' }, 'VERSION_DELETED'],
  [{ aborted: false, status: 'FAILED_PRECONDITION' }, 'BACKEND_ERROR'],
  [{ aborted: false, status: 'PERMISSION_DENIED' }, 'ACCESS_DENIED'],
  [{ aborted: false, status: 'UNAUTHENTICATED' }, 'AUTH_FAILED'],
  [{ aborted: false, credentials: 'missing' }, 'AUTH_FAILED'],
  [{ aborted: false, credentials: 'refused', httpStatus: 500 }, 'AUTH_FAILED'],
  [{ aborted: false, status: 'RESOURCE_EXHAUSTED' }, 'THROTTLED'],
  [{ aborted: false, status: 'UNAVAILABLE' }, 'UNAVAILABLE'],
  [{ aborted: false, networkCode: 'ECONNREFUSED' }, 'UNAVAILABLE'],
  [{ aborted: false, malformed: true }, 'BACKEND_ERROR'],
  [{ aborted: true }, 'TIMEOUT'],
])('%j is %s', (facts, code) => {
  expect(classifyFailure(facts, ctx).code).toBe(code)
})

test('a deadline hit during throttling says so', () => {
  expect(classifyFailure({ aborted: true }, { ...ctx, retried: 'RESOURCE_EXHAUSTED' })).toEqual({
    code: 'THROTTLED',
    message:
      'GCP throttled the requests and they could not finish within the 5 s deadline (AVP_DEADLINE) while reading secret projects/p/secrets/db',
  })
})

test('SIGTERM is a cancellation, not a deadline', () => {
  expect(classifyFailure({ aborted: true }, { ...ctx, deadlineHit: false }).message).toBe(
    'reading secret projects/p/secrets/db was cancelled (the run was stopped)',
  )
})

test('only throttling, server and network failures are retried', () => {
  expect(isRetryable({ aborted: false, status: 'RESOURCE_EXHAUSTED' })).toBe(true)
  expect(isRetryable({ aborted: false, status: 'UNAVAILABLE' })).toBe(true)
  expect(isRetryable({ aborted: false, networkCode: 'ECONNRESET' })).toBe(true)
  expect(isRetryable({ aborted: false, status: 'PERMISSION_DENIED', httpStatus: 403 })).toBe(false)
  expect(isRetryable({ aborted: false, status: 'NOT_FOUND' })).toBe(false)
  expect(isRetryable({ aborted: false, credentials: 'missing' })).toBe(false)
})
