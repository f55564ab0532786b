import { chunk, planFetches } from '../../../../src/backends/aws/plan'

const EU_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbC123'

test('chunk splits into runs of at most n', () => {
  const ids = Array.from({ length: 45 }, (_, i) => i)
  expect(chunk(ids, 20).map((c) => c.length)).toEqual([20, 20, 5])
  expect(chunk([], 20)).toEqual([])
  expect(chunk([1, 2], 20)).toEqual([[1, 2]])
})

test('each distinct (region, secret, version) is one target serving every ref that names it', () => {
  const refs = [
    { path: 'app/db' },
    { path: 'app/db', kvVersion: '2' }, // kvVersion means nothing to AWS
    { path: 'app/db', version: 'AWSCURRENT' }, // the same read as no version
    { path: 'app/db', version: 'AWSPREVIOUS' },
    { path: EU_ARN },
  ]
  const plan = planFetches(refs, 'us-east-1')
  expect(plan.rejected).toEqual([])
  expect(
    plan.targets.map((t) => ({
      region: t.region,
      id: t.secretId,
      v: t.version.kind,
      n: t.refs.length,
      label: t.label,
    })),
  ).toEqual([
    { region: 'us-east-1', id: 'app/db', v: 'latest', n: 3, label: 'secret app/db' },
    {
      region: 'us-east-1',
      id: 'app/db',
      v: 'stage',
      n: 1,
      label: 'secret app/db (stage AWSPREVIOUS)',
    },
    // AVP #318: the ARN's region wins over AWS_REGION.
    { region: 'eu-west-1', id: EU_ARN, v: 'latest', n: 1, label: `secret ${EU_ARN}` },
  ])
})

test('without a region, names are rejected with a clear message and ARNs still planned', () => {
  const plan = planFetches([{ path: 'app/db' }, { path: EU_ARN }], undefined)
  expect(plan.targets.map((t) => t.region)).toEqual(['eu-west-1'])
  expect(plan.rejected).toEqual([
    {
      ref: { path: 'app/db' },
      failure: {
        code: 'CONFIG_INVALID',
        message:
          "secret app/db is a name, not an ARN, so AWS_REGION (or AWS_DEFAULT_REGION) must be set; or use the secret's full ARN",
      },
    },
  ])
})

test('a malformed ARN is rejected, not sent', () => {
  const plan = planFetches([{ path: 'arn:aws:secretsmanager::1:secret:x' }], 'us-east-1')
  expect(plan.targets).toEqual([])
  expect(plan.rejected[0]?.failure.code).toBe('CONFIG_INVALID')
  expect(plan.rejected[0]?.failure.message).toMatch(/is not a Secrets Manager ARN/)
})
