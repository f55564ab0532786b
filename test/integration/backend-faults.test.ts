// Faulty backends through the built CLI: connection resets (before and in the
// middle of an answer), truncated and malformed bodies, 429 bursts and 503s on
// the Vault and AWS Secrets Manager test servers. A transient fault is retried
// and the run succeeds within its deadline; a lasting one gives ONE precise
// line per failing reference with a stable code, quoting nothing of what the
// server sent. Never exit 70, never anything on stdout when the run fails.
import { startFakeVault, type FakeVault, type Fault } from '../support/fake-vault'
import { runVault, secretManifest } from '../support/fake-vault/cli'
import {
  FAKE_MESSAGE_CANARY,
  startFakeSecretsManager,
  type FakeSecretsManager,
  type FaultKind,
} from '../support/fake-secrets-manager'
import { awsEnv } from '../support/moto'
import { baseEnv, runCli, type CliResult } from '../support/run-cli'

const DEADLINE_S = 15
const SECRET_ID = 'canary-secret-id-faults'
let vault: FakeVault
let aws: FakeSecretsManager

beforeAll(async () => {
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { password: 'canary-fault-value-a' })
  vault.putKv('secret', 'other', { password: 'canary-fault-value-b' })
  vault.addApprole('role-x', SECRET_ID)
  aws = await startFakeSecretsManager()
})

afterAll(async () => {
  await vault.stop()
  await aws.close()
})

beforeEach(() => {
  vault.resetRequests()
  vault.clearFaults()
  aws.reset()
  aws.put('app/db', { string: '{"pw":"canary-db-pw"}' })
  aws.put('app/api', { string: '{"key":"canary-api-key"}' })
})

interface Timed extends CliResult {
  readonly ms: number
}

async function timed(run: () => Promise<CliResult>): Promise<Timed> {
  const started = Date.now()
  const result = await run()
  return { ...result, ms: Date.now() - started }
}

function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '))
}

/** A run that succeeded in time with both values. */
function expectSuccess(result: Timed, values: readonly string[]): void {
  expect(errorLines(result)).toEqual([])
  expect(result.code).toBe(0)
  for (const value of values) expect(result.stdout).toContain(value)
  expect(result.ms).toBeLessThan(DEADLINE_S * 1000)
}

/** A failed run: exit 1, empty stdout, one line per failing reference, nothing the server sent. */
function expectFailure(result: Timed, lines: readonly RegExp[]): void {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(1)
  expect(result.stderr).not.toMatch(/canary/)
  expect(result.stderr).not.toMatch(/<html|SyntaxError|Unexpected (end|token)/i)
  const errors = errorLines(result)
  expect(errors).toHaveLength(lines.length)
  lines.forEach((line, i) => {
    expect(errors[i]).toMatch(line)
  })
  expect(result.ms).toBeLessThan(DEADLINE_S * 1000 + 1000)
}

describe('Vault', () => {
  const MANIFEST = secretManifest({
    a: '<path:secret/data/app#password>',
    b: '<path:secret/data/other#password>',
  })
  const run = (): Promise<Timed> =>
    timed(() =>
      runVault(MANIFEST, {
        VAULT_ADDR: vault.address,
        AVP_AUTH_TYPE: 'approle',
        AVP_ROLE_ID: 'role-x',
        AVP_SECRET_ID: SECRET_ID,
        AVP_DEADLINE: String(DEADLINE_S),
      }),
    )
  const where =
    / at \S+manifest\.yaml#1 Secret\/app stringData\.a \(<path:secret\/data\/app#password>\)$/
      .source
  const lasting: readonly (readonly [Fault['kind'], RegExp])[] = [
    ['reset', /^error: UNAVAILABLE: .*ECONNRESET.*reading secret\/data\/app/],
    ['reset-mid-body', /^error: UNAVAILABLE: .*ECONNRESET.*reading secret\/data\/app/],
    ['truncated', /^error: UNAVAILABLE: .*reading secret\/data\/app/],
    ['malformed-json', /^error: BACKEND_ERROR: .*reading secret\/data\/app .*not JSON/],
    [
      'rate-limit',
      /^error: THROTTLED: Vault rate limit exceeded reading secret\/data\/app \(429, still throttled after 4 attempts\)/,
    ],
    ['sealed', /^error: UNAVAILABLE: Vault is sealed \(503 reading secret\/data\/app\)/],
  ]

  test.each(['reset', 'reset-mid-body', 'truncated', 'rate-limit', 'sealed'] as const)(
    '%s twice, then the answer: retried, the run succeeds in time',
    async (kind) => {
      vault.fault({ kind, path: 'secret/data/app', times: 2 })
      expectSuccess(await run(), ['canary-fault-value-a', 'canary-fault-value-b'])
      expect(vault.count('secret/data/app')).toBe(3)
    },
  )

  test.each(lasting)('%s on every try: one precise line for that reference', async (kind, line) => {
    vault.fault({ kind, path: 'secret/data/app' })
    expectFailure(await run(), [new RegExp(line.source + '.*' + where)])
  })
})

describe('AWS Secrets Manager', () => {
  const MANIFEST = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: app',
    'data:',
    '  db: <path:app/db#pw>',
    '  api: <path:app/api#key>',
    '',
  ].join('\n')
  const run = (): Promise<Timed> =>
    timed(() =>
      runCli(['generate', '-'], {
        stdin: MANIFEST,
        env: baseEnv(
          awsEnv(aws.endpoint, { AVP_DEADLINE: String(DEADLINE_S), AWS_MAX_ATTEMPTS: '3' }),
        ),
      }),
    )
  const both = (what: RegExp): RegExp[] => [
    new RegExp(
      `${what.source} .*secret app/api.* at <stdin>#1 ConfigMap/app data\\.api \\(<path:app/api#key>\\)$`,
    ),
    new RegExp(
      `${what.source} .*secret app/db.* at <stdin>#1 ConfigMap/app data\\.db \\(<path:app/db#pw>\\)$`,
    ),
  ]
  const lasting: readonly (readonly [FaultKind, RegExp])[] = [
    ['reset', /^error: UNAVAILABLE: could not reach AWS Secrets Manager for/],
    ['reset-mid-body', /^error: UNAVAILABLE: could not reach AWS Secrets Manager for/],
    ['truncated', /^error: UNAVAILABLE: could not reach AWS Secrets Manager for/],
    [
      'malformed',
      /^error: BACKEND_ERROR: AWS Secrets Manager sent an answer that is not valid JSON for/,
    ],
    ['too-many-requests', /^error: THROTTLED: AWS throttled the requests for/],
    ['ThrottlingException', /^error: THROTTLED: AWS throttled the requests for/],
    ['unavailable', /^error: UNAVAILABLE: AWS Secrets Manager failed while reading/],
  ]

  test.each([
    'reset',
    'reset-mid-body',
    'truncated',
    'too-many-requests',
    'ThrottlingException',
    'unavailable',
  ] as const)('%s twice, then the answer: retried, the run succeeds in time', async (kind) => {
    aws.fault({ op: 'BatchGetSecretValue', kind, times: 2 })
    expectSuccess(await run(), ['canary-db-pw', 'canary-api-key'])
    expect(aws.calls('BatchGetSecretValue')).toBe(3)
  })

  test.each(lasting)('%s on every try: one precise line per reference', async (kind, line) => {
    aws.fault({ op: 'BatchGetSecretValue', kind })
    aws.fault({ op: 'GetSecretValue', kind })
    const result = await run()
    expect(result.stderr).not.toContain(FAKE_MESSAGE_CANARY)
    expectFailure(result, both(line))
  })
})
