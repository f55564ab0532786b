// The SDK port against the fake JSON-protocol server on loopback: what the
// SDK hands back is reduced to allow-listed facts (docs/design/aws-wire.md).
import { AwsCallError, type AwsCallFacts } from '../../../../src/backends/aws/errors'
import type { AwsConfig } from '../../../../src/backends/aws/config'
import { createSdkPort } from '../../../../src/backends/aws/port'
import type { SecretsManagerPort } from '../../../../src/backends/aws/port-types'
import { Secret } from '../../../../src/secrets/secret'
import {
  FAKE_MESSAGE_CANARY,
  startFakeSecretsManager,
  type FakeSecretsManager,
} from '../../../support/fake-secrets-manager'

// Node 20 gets a multi-line SDK deprecation warning otherwise (read at client creation).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

let fake: FakeSecretsManager
let port: SecretsManagerPort

function config(more: Partial<AwsConfig> = {}): AwsConfig {
  return {
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: new Secret('AKIATEST'), secretAccessKey: new Secret('test') },
    maxAttempts: 3,
    connectionTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    concurrency: 8,
    ...more,
  }
}

beforeAll(async () => {
  fake = await startFakeSecretsManager()
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => {
  fake.reset()
  fake.put('app/db', { string: '{"pw":"canary-pw"}' })
  fake.put('bin', { binary: Buffer.from([1, 2, 3]) })
  port = createSdkPort(config(), 'us-east-1')
})

afterEach(() => {
  port.destroy()
})

async function failure(call: Promise<unknown>): Promise<AwsCallFacts> {
  const err: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(err instanceof AwsCallError)) throw new Error('expected an AwsCallError')
  expect(err.message).not.toContain(FAKE_MESSAGE_CANARY)
  return err.facts
}

const signal = () => new AbortController().signal

test('GetSecretValue and BatchGetSecretValue return plain values (binary as bytes)', async () => {
  expect(await port.getSecretValue({ secretId: 'app/db' }, signal())).toMatchObject({
    name: 'app/db',
    secretString: '{"pw":"canary-pw"}',
  })
  const page = await port.batchGetSecretValue(['bin', 'nope'], undefined, signal())
  expect(Buffer.from(page.values[0]?.secretBinary ?? []).toString('hex')).toBe('010203')
  expect(page.errors).toEqual([
    expect.objectContaining({ secretId: 'nope', errorCode: 'ResourceNotFoundException' }),
  ])
})

test('a namespace-prefixed __type is normalised to the error name; the message is dropped', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'AccessDeniedException' })
  expect(await failure(port.getSecretValue({ secretId: 'app/db' }, signal()))).toEqual({
    name: 'AccessDeniedException',
    httpStatus: 400,
    requestId: 'fake-request-0001',
    fault: 'client',
    attempts: 1,
    aborted: false,
    throttled: false,
    deletion: false,
  })
})

test('throttling is retried (standard mode) and remembered', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'ThrottlingException' })
  // Two attempts keep the (1 s-based, docs/design/aws-wire.md) back-off short.
  const twice = createSdkPort(config({ maxAttempts: 2 }), 'us-east-1')
  const facts = await failure(twice.getSecretValue({ secretId: 'app/db' }, signal()))
  twice.destroy()
  expect(facts).toMatchObject({ name: 'ThrottlingException', attempts: 2, throttled: true })
  expect(fake.calls('GetSecretValue')).toBe(2)
})

test('an abort during a throttling back-off still reports that AWS was throttling', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'ThrottlingException' })
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort()
  }, 150)
  const throttledPort = createSdkPort(config({ maxAttempts: 20 }), 'us-east-1')
  const facts = await failure(
    throttledPort.getSecretValue({ secretId: 'app/db' }, controller.signal),
  )
  throttledPort.destroy()
  expect(facts).toMatchObject({ name: 'AbortError', aborted: true, throttled: true })
})

test('a response slower than requestTimeout fails as TimeoutError and is retried', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'slow', delayMs: 5_000 })
  const quick = createSdkPort(config({ requestTimeoutMs: 100, maxAttempts: 2 }), 'us-east-1')
  const started = Date.now()
  const facts = await failure(quick.getSecretValue({ secretId: 'app/db' }, signal()))
  quick.destroy()
  expect(facts).toMatchObject({ name: 'TimeoutError', networkCode: 'ETIMEDOUT', attempts: 2 })
  expect(Date.now() - started).toBeLessThan(2_000)
})

test('a body that is not JSON is a SyntaxError with nothing of the body kept', async () => {
  fake.fault({ op: 'BatchGetSecretValue', kind: 'malformed' })
  const facts = await failure(port.batchGetSecretValue(['app/db'], undefined, signal()))
  expect(facts).toMatchObject({ name: 'SyntaxError', httpStatus: 200 })
  expect(JSON.stringify(facts)).not.toContain(FAKE_MESSAGE_CANARY)
})

test('an unmodelled 500 is a server fault', async () => {
  fake.fault({ op: 'GetSecretValue', kind: 'InternalServiceError' })
  expect(await failure(port.getSecretValue({ secretId: 'app/db' }, signal()))).toMatchObject({
    name: 'InternalServiceError',
    fault: 'server',
    httpStatus: 500,
    attempts: 3,
  })
})
