import { parseAwsConfig } from '../../../../src/backends/aws/config'
import { settingsFromLayers } from '../../../../src/config/settings'

function parse(values: Record<string, string>) {
  return parseAwsConfig(
    settingsFromLayers([{ name: 'env', values: new Map(Object.entries(values)) }]),
  )
}

test('defaults: no region, SDK credential chain, 3 attempts', () => {
  const result = parse({})
  expect(result).toEqual({
    ok: true,
    config: {
      maxAttempts: 3,
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 15_000,
      concurrency: 8,
    },
  })
})

test('AWS_REGION wins over AWS_DEFAULT_REGION; the endpoint for Secrets Manager over the global one', () => {
  const result = parse({
    AWS_REGION: 'eu-central-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: 'http://global:1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:5000',
    AWS_MAX_ATTEMPTS: '5',
    AWS_PROFILE: 'prod',
  })
  expect(result.ok && result.config).toMatchObject({
    region: 'eu-central-1',
    endpoint: 'http://127.0.0.1:5000',
    maxAttempts: 5,
    profile: 'prod',
  })
  expect(parse({ AWS_DEFAULT_REGION: 'us-gov-west-1' })).toMatchObject({
    config: { region: 'us-gov-west-1' },
  })
  expect(
    parse({ AWS_ENDPOINT_URL: 'https://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }),
  ).toEqual(parse({}))
})

test('static credentials are Secrets and never shown', () => {
  const result = parse({
    AWS_ACCESS_KEY_ID: 'AKIACANARY',
    AWS_SECRET_ACCESS_KEY: 'canary-secret-key',
    AWS_SESSION_TOKEN: 'canary-token',
  })
  if (!result.ok) throw new Error('expected ok')
  expect(result.config.credentials?.secretAccessKey.reveal()).toBe('canary-secret-key')
  expect(result.config.credentials?.sessionToken?.reveal()).toBe('canary-token')
  expect(JSON.stringify(result.config)).not.toContain('canary')
})

test('every issue is listed, by key, without echoing a credential', () => {
  const result = parse({
    AWS_REGION: 'Mars',
    AWS_ENDPOINT_URL: 'ftp://user:canary-pass@host',
    AWS_SECRET_ACCESS_KEY: 'canary-secret-key',
    AWS_MAX_ATTEMPTS: '0',
  })
  expect(result).toEqual({
    ok: false,
    failures: [
      'AWS_REGION: expected an AWS region name such as us-east-1, got "Mars"',
      'AWS_ENDPOINT_URL: expected an http:// or https:// URL',
      'AWS_ACCESS_KEY_ID: required when AWS_SECRET_ACCESS_KEY is set',
      'AWS_MAX_ATTEMPTS: expected a whole number from 1 to 20, got "0"',
    ],
  })
  expect(parse({ AWS_SESSION_TOKEN: 'canary-t' })).toEqual({
    ok: false,
    failures: ['AWS_SESSION_TOKEN: set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'],
  })
})
