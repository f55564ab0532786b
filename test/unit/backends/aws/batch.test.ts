import { fetchBatch, matchResults } from '../../../../src/backends/aws/batch'
import { planFetches } from '../../../../src/backends/aws/plan'
import { facts, InMemoryPort, stored } from './in-memory-port'

const signal = new AbortController().signal
const DB = stored('us-east-1', 'app/db', '{"a":1}')
const API = stored('us-east-1', 'app/api', '{"b":2}')

function targets(...paths: string[]) {
  return planFetches(
    paths.map((path) => ({ path })),
    'us-east-1',
  ).targets
}

test('matchResults maps values back by name, full ARN and partial ARN, in any order', () => {
  const [byName, byArn, byPartial, missing] = targets(
    'app/db',
    API.arn,
    DB.arn.slice(0, -7),
    'nope',
  )
  const items = matchResults(
    [byName!, byArn!, byPartial!, missing!],
    [
      { name: 'app/api', arn: API.arn, secretString: 'api' },
      { name: 'app/db', arn: DB.arn, secretString: 'db' },
    ],
    [{ secretId: 'nope', errorCode: 'ResourceNotFoundException' }],
  )
  expect(items.get(byName!)).toMatchObject({ kind: 'value', value: { secretString: 'db' } })
  expect(items.get(byArn!)).toMatchObject({ kind: 'value', value: { secretString: 'api' } })
  expect(items.get(byPartial!)).toMatchObject({ kind: 'value', value: { secretString: 'db' } })
  expect(items.get(missing!)).toEqual({
    kind: 'error',
    error: { secretId: 'nope', errorCode: 'ResourceNotFoundException' },
  })
})

test('an id in neither SecretValues nor Errors is absent', () => {
  const [t] = targets('ghost')
  expect(matchResults([t!], [], []).get(t!)).toEqual({ kind: 'absent' })
})

test.each(['AccessDeniedException', 'ValidationException', 'UnknownOperationException'])(
  'a whole-call %s means: fall back to GetSecretValue',
  async (name) => {
    const port = new InMemoryPort('us-east-1', [DB])
    port.batchFailure = facts(name)
    expect(await fetchBatch(port, targets('app/db'), signal)).toEqual({
      kind: 'fallback',
      reason: name,
    })
  },
)

test.each([
  facts('ThrottlingException', { attempts: 3 }),
  facts('InternalServiceError', { fault: 'server' }),
  facts('AbortError', { aborted: true }),
  facts('AccessDeniedException', { aborted: true }),
])('other whole-call failures fail the chunk: %p', async (failure) => {
  const port = new InMemoryPort('us-east-1', [DB])
  port.batchFailure = failure
  expect(await fetchBatch(port, targets('app/db'), signal)).toEqual({
    kind: 'failed',
    facts: failure,
  })
})

test('NextToken is followed with the same id list', async () => {
  const calls: (string | undefined)[] = []
  const port = new InMemoryPort('us-east-1', [DB, API])
  port.batchGetSecretValue = (_ids: readonly string[], nextToken?: string) => {
    calls.push(nextToken)
    const page = nextToken === undefined ? 0 : 1
    const secret = [DB, API][page]!
    return Promise.resolve({
      values: [{ name: secret.name, arn: secret.arn, secretString: 'x' }],
      errors: [],
      ...(page === 0 ? { nextToken: 'page-2' } : {}),
    })
  }
  const outcome = await fetchBatch(port, targets('app/db', 'app/api'), signal)
  expect(calls).toEqual([undefined, 'page-2'])
  expect(outcome.kind === 'done' && [...outcome.items.values()].map((i) => i.kind)).toEqual([
    'value',
    'value',
  ])
})
