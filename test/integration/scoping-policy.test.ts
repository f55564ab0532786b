// The operator's scoping policy (AVP_SCOPE_POLICY): which secret paths the
// Applications of a project or destination namespace may read. Run as Argo CD
// runs the plugin (plugin.yaml's argv, the request env, stdin closed) against
// a fake Vault that records every request: a reference outside the scope must
// fail before the backend hears anything, not even a login, and nothing an
// Application sets (plugin env, plugin parameters) may change the policy.
// docs/security.md#scoping-which-secrets-an-application-may-read describes it.
import path from 'node:path'
import {
  generateManifests,
  type AppSpec,
  type GenerateResult,
  type PluginParameter,
} from '../support/argocd-harness'
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { awsEnv } from '../support/moto'
import { baseEnv, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool } from '../support/tools'

requireTool('helm')

/** Two teams on one Vault; team A's Applications live in project team-a. */
const POLICY = [
  'rules:',
  '  - project: team-a',
  '    paths: [secret/team-a, secret/data/team-a]',
  '  - project: team-b',
  '    paths: [secret/team-b]',
  '  - namespace: "*-prod"',
  '    backend: vault',
  '    paths: [secret/shared/prod]',
].join('\n')

const WIDE_OPEN = 'rules: [{paths: ["*"]}]'

function secretManifest(...paths: string[]): Record<string, string> {
  return {
    'secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: db',
      'stringData:',
      ...paths.map((p, i) => `  k${String(i)}: <path:${p}#password>`),
      '',
    ].join('\n'),
  }
}

function app(
  files: Readonly<Record<string, string>>,
  extra: Partial<AppSpec> & {
    env?: Record<string, string>
    parameters?: PluginParameter[]
  } = {},
): AppSpec {
  const { env, parameters, ...spec } = extra
  return {
    repoDir: testdir(files),
    path: '.',
    name: 'web',
    project: 'team-a',
    destinationNamespace: 'team-a-dev',
    plugin: {
      name: 'argocd-secret-plugin',
      env: Object.entries(env ?? {}).map(([name, value]) => ({ name, value })),
      parameters: parameters ?? null,
    },
    ...spec,
  }
}

function refused(result: GenerateResult): { stderr: string; exitCode: number | null } {
  if (result.ok) throw new Error('expected the run to fail')
  expect(result.stdout).toBe('')
  expect(result.stderr).not.toContain('canary')
  return result
}

function printed(result: GenerateResult): string {
  if (!result.ok) throw new Error(`generation failed: ${result.error}\n${result.stderr}`)
  return JSON.stringify(result.manifests)
}

describe('Vault: a reference outside the scope never reaches Vault', () => {
  let vault: FakeVault
  beforeAll(async () => {
    vault = await startFakeVault()
    vault.addApprole('sidecar-role', 'canary-sidecar-secret-id')
    vault.putKv('secret', 'team-a/db', { password: 'team-a-password' })
    vault.putKv('secret', 'team-ab/db', { password: 'canary-team-ab' })
    vault.putKv('secret', 'team-b/db', { password: 'canary-team-b' })
    vault.putKv('secret', 'shared/prod/db', { password: 'shared-prod-password' })
  })
  afterAll(async () => {
    await vault.stop()
  })
  beforeEach(() => {
    vault.resetRequests()
  })

  function sidecar(extra: Record<string, string> = {}): Record<string, string> {
    return {
      AVP_TYPE: 'vault',
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'approle',
      AVP_ROLE_ID: 'sidecar-role',
      AVP_SECRET_ID: 'canary-sidecar-secret-id',
      AVP_SCOPE_POLICY: POLICY,
      ...extra,
    }
  }

  test('in scope: resolved as always', async () => {
    const result = await generateManifests(
      app(secretManifest('secret/team-a/db', 'secret/data/team-a/db')),
      { env: sidecar() },
    )
    expect(printed(result)).toContain('team-a-password')
    expect(vault.requests.length).toBeGreaterThan(0)
  })

  test("another team's path, and a sibling that only shares the prefix text: every reference one located line, Vault hears nothing", async () => {
    const result = refused(
      await generateManifests(
        app(secretManifest('secret/team-a/db', 'secret/team-b/db', 'secret/team-ab/db')),
        { env: sidecar() },
      ),
    )
    expect(result.exitCode).toBe(1)
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('error:'))
    expect(lines).toEqual([
      'error: PATH_OUT_OF_SCOPE: the path secret/team-b/db is outside the scope the operator\'s policy gives this Application (project "team-a", destination namespace "team-a-dev"); allowed path prefixes: secret/team-a, secret/data/team-a at secret.yaml#1 Secret/db stringData.k1 (<path:secret/team-b/db#password>)',
      'error: PATH_OUT_OF_SCOPE: the path secret/team-ab/db is outside the scope the operator\'s policy gives this Application (project "team-a", destination namespace "team-a-dev"); allowed path prefixes: secret/team-a, secret/data/team-a at secret.yaml#1 Secret/db stringData.k2 (<path:secret/team-ab/db#password>)',
    ])
    expect(vault.requests).toHaveLength(0)
  })

  test('a climb out of the prefix (secret/team-a/../team-b) is refused before Vault', async () => {
    const result = refused(
      await generateManifests(app(secretManifest('secret/team-a/../team-b/db')), {
        env: sidecar(),
      }),
    )
    expect(result.stderr).toMatch(
      /PATH_OUT_OF_SCOPE: the path secret\/team-a\/\.\.\/team-b\/db cannot be checked/,
    )
    expect(vault.requests).toHaveLength(0)
  })

  test('the destination namespace grants the shared prod prefix; an app of another project gets only its own', async () => {
    const prod = await generateManifests(
      app(secretManifest('secret/team-a/db', 'secret/shared/prod/db'), {
        destinationNamespace: 'team-a-prod',
      }),
      { env: sidecar() },
    )
    expect(printed(prod)).toContain('shared-prod-password')

    vault.resetRequests()
    const teamB = refused(
      await generateManifests(app(secretManifest('secret/team-a/db'), { project: 'team-b' }), {
        env: sidecar(),
      }),
    )
    expect(teamB.stderr).toContain('allowed path prefixes: secret/team-b at')
    expect(vault.requests).toHaveLength(0)
  })

  test('an app that no rule matches may read nothing', async () => {
    const result = refused(
      await generateManifests(app(secretManifest('secret/team-a/db'), { project: 'default' }), {
        env: sidecar(),
      }),
    )
    expect(result.stderr).toMatch(
      /no rule of the operator's scoping policy \(AVP_SCOPE_POLICY\) matches this Application \(project "default"/,
    )
    expect(vault.requests).toHaveLength(0)
  })

  test('Helm values (resolve-values-placeholders) are checked before any fetch too', async () => {
    const chart = {
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'values.yaml': 'password: <path:secret/team-b/db#password>\n',
      'templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  p: {{ .Values.password | quote }}\n',
    }
    const result = refused(
      await generateManifests(
        app(chart, { parameters: [{ name: 'resolve-values-placeholders', string: 'true' }] }),
        { env: sidecar() },
      ),
    )
    expect(result.stderr).toMatch(
      /PATH_OUT_OF_SCOPE: the path secret\/team-b\/db is outside .* at values\.yaml#1 password \(<path:secret\/team-b\/db#password>\)/,
    )
    expect(vault.requests).toHaveLength(0)
  })

  describe('an Application cannot set or widen the policy', () => {
    test.each([
      ['default allow-list', {}],
      [
        'the key allowed by name',
        { AVP_APP_ENV_ALLOWLIST: 'AVP_SCOPE_POLICY,AVP_SCOPE_POLICY_FILE' },
      ],
      ['every key allowed ("*")', { AVP_APP_ENV_ALLOWLIST: '*' }],
    ])('plugin env, %s: refused, Vault hears nothing', async (_, allow) => {
      const policyFile = path.join(testdir({ 'open.yaml': WIDE_OPEN }), 'open.yaml')
      const result = refused(
        await generateManifests(
          app(secretManifest('secret/team-b/db'), {
            env: { AVP_SCOPE_POLICY: WIDE_OPEN, AVP_SCOPE_POLICY_FILE: policyFile },
          }),
          { env: sidecar(allow) },
        ),
      )
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(
        "ARGOCD_ENV_AVP_SCOPE_POLICY: an Application cannot change AVP_SCOPE_POLICY; only the sidecar's environment sets it",
      )
      expect(result.stderr).toContain(
        'ARGOCD_ENV_AVP_SCOPE_POLICY_FILE: an Application cannot change',
      )
      expect(vault.requests).toHaveLength(0)
    })

    test.each([
      ['default allow-list', {}],
      ['every parameter allowed ("*")', { AVP_APP_PARAM_ALLOWLIST: '*' }],
    ])('plugin parameters, %s: refused, Vault hears nothing', async (_, allow) => {
      const result = refused(
        await generateManifests(
          app(secretManifest('secret/team-b/db'), {
            parameters: [
              { name: 'avp-scope-policy', string: WIDE_OPEN },
              { name: 'AVP_SCOPE_POLICY_FILE', string: '/tmp/open.yaml' },
            ],
          }),
          { env: sidecar(allow) },
        ),
      )
      expect(result.stderr).toContain(
        'plugin parameter "avp-scope-policy": an Application cannot change AVP_SCOPE_POLICY; only the operator sets it',
      )
      expect(result.stderr).toContain(
        'plugin parameter "AVP_SCOPE_POLICY_FILE": an Application cannot change',
      )
      expect(vault.requests).toHaveLength(0)
    })

    test('the project and namespace come from Argo CD, never from the plugin env', async () => {
      // ARGOCD_ENV_ARGOCD_APP_PROJECT_NAME is just a plugin env key: refused, and never read as the project.
      const result = refused(
        await generateManifests(
          app(secretManifest('secret/team-b/db'), {
            env: { ARGOCD_APP_PROJECT_NAME: 'team-b', ARGOCD_APP_NAMESPACE: 'x-prod' },
          }),
          { env: sidecar({ AVP_APP_ENV_ALLOWLIST: '*' }) },
        ),
      )
      expect(result.stderr).toContain('project "team-a", destination namespace "team-a-dev"')
      expect(vault.requests).toHaveLength(0)
    })
  })

  describe('a policy that cannot be used fails closed: exit 2, nothing fetched', () => {
    test.each([
      [
        'malformed inline',
        { AVP_SCOPE_POLICY: 'rules: [{project: team-a, path: [secret/team-a]}]' },
        /AVP_SCOPE_POLICY: rules\[0\]: unknown key "path"/,
      ],
      [
        'a file that is missing',
        { AVP_SCOPE_POLICY: '', AVP_SCOPE_POLICY_FILE: '/nonexistent/scope.yaml' },
        /AVP_SCOPE_POLICY_FILE "\/nonexistent\/scope\.yaml": cannot read it: file not found/,
      ],
      [
        'a prefix Vault cannot read',
        { AVP_SCOPE_POLICY: 'rules: [{paths: ["secret//x"]}]' },
        /rules\[0\]\.paths\[0\]: invalid Vault path "secret\/\/x"/,
      ],
    ])('%s', async (_, extra, message) => {
      const result = refused(
        await generateManifests(app(secretManifest('secret/team-a/db')), { env: sidecar(extra) }),
      )
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(vault.requests).toHaveLength(0)
    })
  })
})

describe('AWS Secrets Manager: names and ARNs', () => {
  let aws: FakeSecretsManager
  let teamAArn: string
  beforeAll(async () => {
    aws = await startFakeSecretsManager()
    aws.put('team-a/db', { string: '{"password":"aws-team-a"}' })
    teamAArn = aws.put('team-b/db', { string: '{"password":"canary-aws-team-b"}' })
  })
  afterAll(async () => {
    await aws.close()
  })

  function sidecar(): Record<string, string> {
    const env = awsEnv(aws.endpoint, {
      AVP_SCOPE_POLICY: 'rules: [{project: team-a, paths: [team-a]}]',
    })
    return Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
    )
  }

  test('in scope: resolved', async () => {
    const result = await generateManifests(app(secretManifest('team-a/db')), { env: sidecar() })
    expect(printed(result)).toContain('aws-team-a')
  })

  test('another name, a leading-slash name and an ARN: refused, no request at all', async () => {
    aws.reset()
    aws.put('team-b/db', { string: '{"password":"canary-aws-team-b"}' })
    const result = refused(
      await generateManifests(app(secretManifest('team-b/db', '/team-a/db', teamAArn)), {
        env: sidecar(),
      }),
    )
    expect(result.stderr.match(/PATH_OUT_OF_SCOPE/g)).toHaveLength(3)
    expect(aws.requests()).toBe(0)
  })
})

describe('plan and --stub apply the policy too (built CLI, file backend)', () => {
  const dir = testdir({
    'secrets.yaml':
      'team-a/db:\n  password: file-team-a\nteam-b/db:\n  password: canary-file-team-b\n',
    ...secretManifest('team-a/db', 'team-b/db'),
  })
  const env = baseEnv({
    AVP_TYPE: 'file',
    AVP_FILE_PATH: path.join(dir, 'secrets.yaml'),
    AVP_SCOPE_POLICY: 'rules: [{project: team-a, paths: [team-a]}]',
    ARGOCD_APP_PROJECT_NAME: 'team-a',
  })

  test('plan lists the reference outside the scope as out-of-scope and still checks the others', async () => {
    const result = await runCli(['plan', '-o', 'json', 'secret.yaml'], { env, cwd: dir })
    expect(result.code).toBe(1)
    const { references: rows } = JSON.parse(result.stdout) as {
      references: { placeholder: string; status: string; code?: string }[]
    }
    expect(rows.map((r) => [r.placeholder, r.status, r.code])).toEqual([
      ['<path:team-a/db#password>', 'found', undefined],
      ['<path:team-b/db#password>', 'out-of-scope', 'PATH_OUT_OF_SCOPE'],
    ])
    expect(result.stdout + result.stderr).not.toContain('canary')
  })

  test('--stub is a CI gate: the same refusal without any backend', async () => {
    const result = await runCli(['generate', '--stub', 'secret.yaml'], {
      env: { ...env, AVP_FILE_PATH: '/nonexistent/secrets.yaml' },
      cwd: dir,
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^error: PATH_OUT_OF_SCOPE: the path team-b\/db is outside/m)
    const inScope = await runCli(['generate', '--stub', 'secret.yaml'], {
      env: { ...env, AVP_FILE_PATH: '/nonexistent/secrets.yaml', AVP_SCOPE_POLICY: WIDE_OPEN },
      cwd: dir,
    })
    expect(inScope.code).toBe(0)
    expect(inScope.stdout).toContain('kind: Secret')
  })
})
