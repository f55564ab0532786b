import { parseScopePolicy, type ScopePolicy } from '../../../src/config/scope-policy'
import { ConfigError } from '../../../src/errors'
import {
  appIdentityOf,
  isUnder,
  matchesGlob,
  pathScopeFor,
  type AppIdentity,
} from '../../../src/pipeline/path-scope'

function policy(text: string): ScopePolicy {
  const result = parseScopePolicy(text, 'AVP_SCOPE_POLICY')
  if (!result.ok) throw new Error(result.failures.join('; '))
  return result.policy
}

const TEAM_A: AppIdentity = { project: 'team-a', namespace: 'team-a-prod' }

/** The paths of `paths` the scope lets through. */
function allowed(
  text: string,
  backend: string | undefined,
  paths: readonly string[],
  app: AppIdentity = TEAM_A,
): string[] {
  const scope = pathScopeFor(policy(text), app, backend)
  return paths.filter((p) => scope.outside(p) === undefined)
}

describe('isUnder: whole segments only', () => {
  test.each([
    [['secret', 'team-a'], ['secret', 'team-a'], true],
    [['secret', 'team-a', 'db'], ['secret', 'team-a'], true],
    [['secret', 'team-ab', 'db'], ['secret', 'team-a'], false],
    [['secret', 'team'], ['secret', 'team-a'], false],
    [['secret'], ['secret', 'team-a'], false],
  ])('%j under %j: %s', (path, prefix, expected) => {
    expect(isUnder(path, prefix)).toBe(expected)
  })
})

describe('matchesGlob', () => {
  test.each([
    ['team-a', 'team-a', true],
    ['team-a', 'team-ab', false],
    ['team-a', 'xteam-a', false],
    ['team-a-*', 'team-a-prod', true],
    ['team-a-*', 'team-a-', true],
    ['team-a-*', 'team-b-prod', false],
    ['*-prod', 'team-a-prod', true],
    ['*', 'anything', true],
    // Only `*` is special: a regex character is itself.
    ['team.a', 'team-a', false],
    ['team.a', 'team.a', true],
    ['(a|b)', 'a', false],
  ])('%s ~ %s: %s', (pattern, value, expected) => {
    expect(matchesGlob(pattern, value)).toBe(expected)
  })

  test('an absent matcher matches anything; a present one needs a value', () => {
    expect(matchesGlob(undefined, undefined)).toBe(true)
    expect(matchesGlob('*', undefined)).toBe(false)
  })
})

describe('appIdentityOf: what Argo CD says about the app', () => {
  test('project and destination namespace; empty counts as none', () => {
    expect(
      appIdentityOf({
        ARGOCD_APP_PROJECT_NAME: 'team-a',
        ARGOCD_APP_NAMESPACE: 'team-a-prod',
        ARGOCD_APP_NAME: 'apps_web',
        ARGOCD_ENV_ARGOCD_APP_PROJECT_NAME: 'platform',
      }),
    ).toEqual({ project: 'team-a', namespace: 'team-a-prod' })
    expect(appIdentityOf({ ARGOCD_APP_NAMESPACE: '' })).toEqual({})
  })
})

describe('pathScopeFor: which rules apply', () => {
  const multiTeam = [
    'rules:',
    '  - project: team-a',
    '    paths: [secret/team-a]',
    '  - project: team-b',
    '    paths: [secret/team-b]',
    '  - namespace: "*-prod"',
    '    paths: [secret/shared/prod]',
  ].join('\n')
  const paths = ['secret/team-a/db', 'secret/team-b/db', 'secret/shared/prod/ca', 'secret/x']

  test('every matching rule adds its prefixes (union, order-free)', () => {
    expect(allowed(multiTeam, 'vault', paths)).toEqual([
      'secret/team-a/db',
      'secret/shared/prod/ca',
    ])
    expect(
      allowed(multiTeam, 'vault', paths, { project: 'team-b', namespace: 'team-b-dev' }),
    ).toEqual(['secret/team-b/db'])
  })

  test('an app that no rule matches may read nothing, and is told why', () => {
    const scope = pathScopeFor(policy(multiTeam), { project: 'team-c' }, 'vault')
    expect(scope.outside('secret/team-a/db')).toBe(
      'no rule of the operator\'s scoping policy (AVP_SCOPE_POLICY) matches this Application (project "team-c", no destination namespace), so it may read no secret',
    )
    expect(allowed('rules: []', 'vault', paths)).toEqual([])
  })

  test('the refusal names the path and the prefixes the app has', () => {
    const scope = pathScopeFor(policy(multiTeam), TEAM_A, 'vault')
    expect(scope.outside('secret/team-b/db')).toBe(
      'the path secret/team-b/db is outside the scope the operator\'s policy gives this Application (project "team-a", destination namespace "team-a-prod"); allowed path prefixes: secret/team-a, secret/shared/prod',
    )
  })

  test('a rule that names a backend applies only when that backend runs', () => {
    const text = 'rules:\n  - backend: vault\n    paths: [a]\n  - backend: file\n    paths: [b]'
    expect(allowed(text, 'vault', ['a/x', 'b/x'])).toEqual(['a/x'])
    expect(allowed(text, 'file', ['a/x', 'b/x'])).toEqual(['b/x'])
    // --stub without AVP_TYPE: only rules without a backend apply.
    expect(allowed(text, undefined, ['a/x', 'b/x'])).toEqual([])
  })

  test('"*" grants every path', () => {
    expect(allowed('rules: [{project: team-a, paths: ["*"]}]', 'vault', paths)).toEqual(paths)
  })

  test('a rule for an unknown backend or a prefix the backend cannot read is a configuration error', () => {
    const text = 'rules:\n  - backend: vualt\n    paths: [a]\n  - project: other\n    paths: [a//b]'
    const error = (() => {
      try {
        pathScopeFor(policy(text), TEAM_A, 'vault')
        return undefined
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      expect.stringMatching(
        /^AVP_SCOPE_POLICY: rules\[0\]\.backend: unknown backend "vualt"; supported: /,
      ),
      'AVP_SCOPE_POLICY: rules[1].paths[0]: invalid Vault path "a//b": it has an empty segment (//)',
    ])
  })
})

describe('aliases: a path is compared the way its backend reads it', () => {
  const rule = (prefix: string): string =>
    `rules: [{project: team-a, paths: [${JSON.stringify(prefix)}]}]`

  test('segment safety: secret/team-a never admits secret/team-ab', () => {
    for (const backend of ['vault', 'file', 'awssecretsmanager', undefined]) {
      expect(
        allowed(rule('secret/team-a'), backend, ['secret/team-ab/db', 'secret/team-a']),
      ).toEqual(['secret/team-a'])
    }
  })

  test('vault: outer slashes are dropped, as the backend does; //, . and .. are refused', () => {
    expect(
      allowed(rule('/secret/team-a/'), 'vault', [
        'secret/team-a/db',
        '/secret/team-a/db/',
        'secret/team-a/../team-b/db',
        'secret/team-a/./db',
        'secret//team-a/db',
        'secret/team-a//db',
      ]),
    ).toEqual(['secret/team-a/db', '/secret/team-a/db/'])
    const scope = pathScopeFor(policy(rule('secret/team-a')), TEAM_A, 'vault')
    expect(scope.outside('secret/team-a/../team-b/db')).toBe(
      'the path secret/team-a/../team-b/db cannot be checked against the operator\'s scoping policy: invalid Vault path "secret/team-a/../team-b/db": "." and ".." segments are not allowed',
    )
  })

  test('vault: the KV v2 data/ form is a prefix of its own, never inferred', () => {
    expect(allowed(rule('secret/team-a'), 'vault', ['secret/data/team-a/db'])).toEqual([])
    expect(
      allowed(rule('secret/data/team-a'), 'vault', ['secret/data/team-a/db', 'secret/team-a/db']),
    ).toEqual(['secret/data/team-a/db'])
  })

  test('AWS: a leading slash is part of the name; an ARN matches only a prefix written as an ARN', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team-a/db-AbCdEf'
    const otherAccount = 'arn:aws:secretsmanager:eu-west-1:999999999999:secret:team-a/db-AbCdEf'
    expect(
      allowed(rule('team-a'), 'awssecretsmanager', ['team-a/db', '/team-a/db', arn, 'team-a/../x']),
    ).toEqual(['team-a/db'])
    expect(
      allowed(
        rule('arn:aws:secretsmanager:eu-west-1:123456789012:secret:team-a'),
        'awssecretsmanager',
        [
          arn,
          otherAccount,
          'team-a/db',
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team-ab/db',
        ],
      ),
    ).toEqual([arn])
  })

  test('kubernetessecret: NAME is argocd:NAME, prefixes are namespace/name', () => {
    expect(
      allowed(rule('argocd/team-a-db'), 'kubernetessecret', [
        'team-a-db',
        'argocd:team-a-db',
        'team-b:team-a-db',
        'argocd:team-a-db2',
      ]),
    ).toEqual(['team-a-db', 'argocd:team-a-db'])
    expect(allowed(rule('team-a'), 'kubernetessecret', ['team-a:db', 'team-ab:db', 'db'])).toEqual([
      'team-a:db',
    ])
  })

  test('azurekeyvault: the path is the vault name, compared without case as Key Vault does', () => {
    expect(
      allowed(rule('Team-A'), 'azurekeyvault', ['team-a', 'TEAM-A', 'team-ab', 'team-b']),
    ).toEqual(['team-a', 'TEAM-A'])
  })

  test('file: keys are literal, so /team-a/x is another key than team-a/x', () => {
    expect(allowed(rule('team-a'), 'file', ['team-a/x', '/team-a/x', 'team-a'])).toEqual([
      'team-a/x',
      'team-a',
    ])
  })

  test('sops: relative to the app directory, normalised; absolute paths never in scope', () => {
    expect(
      allowed(rule('secrets'), 'sops', [
        'secrets/db.enc.yaml',
        './secrets/db.enc.yaml',
        'other/../secrets/db.enc.yaml',
        'secrets/../../x.enc.yaml',
        '/secrets/db.enc.yaml',
      ]),
    ).toEqual(['secrets/db.enc.yaml', './secrets/db.enc.yaml', 'other/../secrets/db.enc.yaml'])
  })
})
