import { matchesRequestedId, parseSecretArn } from '../../../../src/backends/aws/arn'

const FULL = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbC123'
const PARTIAL = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db'

describe('parseSecretArn', () => {
  test.each([
    [
      FULL,
      { partition: 'aws', region: 'eu-west-1', account: '123456789012', resource: 'app/db-AbC123' },
    ],
    [
      PARTIAL,
      { partition: 'aws', region: 'eu-west-1', account: '123456789012', resource: 'app/db' },
    ],
    [
      'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x',
      { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012', resource: 'x' },
    ],
    [
      'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x',
      { partition: 'aws-cn', region: 'cn-north-1', account: '123456789012', resource: 'x' },
    ],
  ])('%s', (path, expected) => {
    expect(parseSecretArn(path)).toEqual(expected)
  })

  test.each(['app/db', 'prod/app@db+x=y.z-1', 'secret/data/app'])(
    'a name is not an ARN: %s',
    (path) => {
      expect(parseSecretArn(path)).toBeUndefined()
    },
  )

  test.each([
    'arn:aws:secretsmanager::123456789012:secret:x', // no region
    'arn:aws:s3:::bucket',
    'arn:aws:secretsmanager:us-east-1:123:secret:x', // account is 12 digits
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:',
  ])('malformed: %s', (path) => {
    expect(parseSecretArn(path)).toBe('invalid')
  })
})

describe('matchesRequestedId', () => {
  const returned = { name: 'app/db', arn: FULL }
  test.each([
    ['app/db', true],
    [FULL, true],
    [PARTIAL, true],
    ['app/d', false],
    ['app/db-AbC123', false], // a name that looks suffixed is another secret
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/d', false],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:app', false],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db', false], // other region
  ])('%s → %p', (requested, expected) => {
    expect(matchesRequestedId(requested, returned)).toBe(expected)
  })

  test('a partial ARN of a secret whose name ends in a dash and 6 characters', () => {
    const tricky = {
      name: 'svc-abcdef',
      arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:svc-abcdef-Zz9Yy8',
    }
    expect(
      matchesRequestedId('arn:aws:secretsmanager:eu-west-1:123456789012:secret:svc-abcdef', tricky),
    ).toBe(true)
    expect(
      matchesRequestedId('arn:aws:secretsmanager:eu-west-1:123456789012:secret:svc', tricky),
    ).toBe(false)
  })
})
