import { settingPrefixes } from '../../../src/backends/registry'
import { loadSettings } from '../../../src/config/load'
import { parseScopePolicy, readScopePolicy } from '../../../src/config/scope-policy'
import { settingsFromLayers } from '../../../src/config/settings'
import { ConfigError } from '../../../src/errors'
import { silentLog } from '../../../src/log'

function issues(text: string): readonly string[] {
  const result = parseScopePolicy(text, 'AVP_SCOPE_POLICY')
  if (result.ok) throw new Error('expected the policy to be refused')
  return result.failures
}

function settings(values: Record<string, string>, layer = 'env') {
  return settingsFromLayers([{ name: layer, values: new Map(Object.entries(values)) }])
}

const noFile = (): Promise<string> => Promise.reject(new Error('no file expected'))

describe('parseScopePolicy', () => {
  test('YAML with every matcher', () => {
    const result = parseScopePolicy(
      [
        'rules:',
        '  - project: team-a',
        '    namespace: "team-a-*"',
        '    backend: vault',
        '    paths: [secret/team-a, secret/data/team-a]',
        '  - paths: ["*"]',
      ].join('\n'),
      'AVP_SCOPE_POLICY',
    )
    expect(result).toEqual({
      ok: true,
      policy: {
        source: 'AVP_SCOPE_POLICY',
        rules: [
          {
            label: 'rules[0]',
            project: 'team-a',
            namespace: 'team-a-*',
            backend: 'vault',
            paths: ['secret/team-a', 'secret/data/team-a'],
          },
          { label: 'rules[1]', paths: ['*'] },
        ],
      },
    })
  })

  test('JSON is read too', () => {
    const result = parseScopePolicy('{"rules":[{"project":"p","paths":["a/b"]}]}', 'X')
    expect(result.ok && result.policy.rules).toEqual([
      { label: 'rules[0]', project: 'p', paths: ['a/b'] },
    ])
  })

  test('a misspelt matcher is an error, never a rule that matches every app', () => {
    expect(issues('rules: [{projects: team-a, paths: [a]}]')).toEqual([
      'AVP_SCOPE_POLICY: rules[0]: unknown key "projects" (allowed: project, namespace, backend, paths)',
    ])
  })

  test('every problem is reported at once, by position', () => {
    expect(
      issues(
        [
          'rule: []',
          'rules:',
          '  - project: ""',
          '    paths: [secret/../other, 7, ""]',
          '  - namespace: [a]',
          '  - project: p',
          '  - just-a-string',
        ].join('\n'),
      ),
    ).toEqual([
      'AVP_SCOPE_POLICY: unknown key "rule" (only "rules")',
      'AVP_SCOPE_POLICY: rules[0].project: must be a non-empty string',
      'AVP_SCOPE_POLICY: rules[0].paths[0]: must not have "." or ".." segments',
      'AVP_SCOPE_POLICY: rules[0].paths[1]: must be a non-empty string',
      'AVP_SCOPE_POLICY: rules[0].paths[2]: must be a non-empty string',
      'AVP_SCOPE_POLICY: rules[1].namespace: must be a non-empty string',
      'AVP_SCOPE_POLICY: rules[1].paths: must be a list of path prefixes',
      'AVP_SCOPE_POLICY: rules[2].paths: must be a list of path prefixes',
      'AVP_SCOPE_POLICY: rules[3]: must be a mapping with "paths"',
    ])
  })

  test.each([
    ['not YAML', 'rules: [', /^AVP_SCOPE_POLICY: not valid YAML or JSON: /],
    ['a list', '- a', /must be a mapping with a "rules" list$/],
    ['empty', '', /must be a mapping with a "rules" list$/],
    ['rules not a list', 'rules: a', /"rules" must be a list of rules$/],
    ['a duplicate key', 'rules: []\nrules: []', /not valid YAML or JSON/],
  ])('%s is refused', (_, text, message) => {
    const [issue, ...rest] = issues(text)
    expect(issue).toMatch(message)
    expect(rest).toEqual([])
  })
})

describe('readScopePolicy: only the operator configures it, and a bad one fails closed', () => {
  test('unset: no policy', async () => {
    await expect(readScopePolicy(settings({}), noFile)).resolves.toBeUndefined()
  })

  test('inline from the sidecar env, the config file or the Secret', async () => {
    for (const layer of ['env', 'config file', 'secret']) {
      const policy = await readScopePolicy(
        settings({ AVP_SCOPE_POLICY: 'rules: [{paths: [a]}]' }, layer),
        noFile,
      )
      expect(policy?.rules).toEqual([{ label: 'rules[0]', paths: ['a'] }])
    }
  })

  test('from an absolute file path', async () => {
    const read = jest.fn((p: string) => Promise.resolve(p === '/etc/scope.yaml' ? 'rules: []' : ''))
    const policy = await readScopePolicy(
      settings({ AVP_SCOPE_POLICY_FILE: '/etc/scope.yaml' }),
      read,
    )
    expect(policy).toEqual({ source: 'AVP_SCOPE_POLICY_FILE "/etc/scope.yaml"', rules: [] })
  })

  test.each([
    [
      'a relative file (it would be read from the app repository)',
      { AVP_SCOPE_POLICY_FILE: 'scope.yaml' },
      'AVP_SCOPE_POLICY_FILE "scope.yaml": must be an absolute path',
    ],
    [
      'a file that cannot be read',
      { AVP_SCOPE_POLICY_FILE: '/nowhere/scope.yaml' },
      'AVP_SCOPE_POLICY_FILE "/nowhere/scope.yaml": cannot read it: file not found',
    ],
    [
      'both keys',
      { AVP_SCOPE_POLICY: 'rules: []', AVP_SCOPE_POLICY_FILE: '/etc/scope.yaml' },
      'AVP_SCOPE_POLICY and AVP_SCOPE_POLICY_FILE are both set; set one of them',
    ],
    [
      'a malformed policy',
      { AVP_SCOPE_POLICY: 'rules: 1' },
      'AVP_SCOPE_POLICY: "rules" must be a list of rules',
    ],
  ])('%s is a configuration error', async (_, values, issue) => {
    const read = (): Promise<string> =>
      Promise.reject(Object.assign(new Error('x'), { code: 'ENOENT' }))
    const error = await readScopePolicy(settings(values), read).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([issue])
  })

  test('a value that came from ARGOCD_ENV_ is refused even if it got that far', async () => {
    const error = await readScopePolicy(
      settings({ AVP_SCOPE_POLICY: 'rules: [{paths: ["*"]}]' }, 'ARGOCD_ENV_'),
      noFile,
    ).catch((e: unknown) => e)
    expect((error as ConfigError).issues).toEqual([
      'ARGOCD_ENV_AVP_SCOPE_POLICY: only the operator sets AVP_SCOPE_POLICY',
    ])
  })
})

describe('an Application cannot set the policy through its plugin env', () => {
  async function loadIssues(env: Record<string, string>): Promise<readonly string[]> {
    const error = await loadSettings({
      env,
      settingPrefixes: settingPrefixes(),
      cwd: '/',
      log: silentLog,
      registerSecret: () => undefined,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).issues
  }

  test.each(['AVP_SCOPE_POLICY', 'AVP_SCOPE_POLICY_FILE'])(
    '%s is refused with any allow-list, even "*"',
    async (key) => {
      for (const allowList of [undefined, '', key, '*']) {
        const env: Record<string, string> = {
          AVP_SCOPE_POLICY: 'rules: []',
          [`ARGOCD_ENV_${key}`]: 'rules: [{paths: ["*"]}]',
          ...(allowList === undefined ? {} : { AVP_APP_ENV_ALLOWLIST: allowList }),
        }
        expect(await loadIssues(env)).toEqual([
          `ARGOCD_ENV_${key}: an Application cannot change ${key}; only the sidecar's environment sets it`,
        ])
      }
    },
  )
})
