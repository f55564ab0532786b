// A hostile Application: its author controls the repository, the plugin
// parameters and the plugin env (`ARGOCD_ENV_*`), and wants what the sidecar
// holds (its files, its credentials, other teams' secrets). Each case runs the
// plugin as Argo CD would (plugin.yaml's argv, the request env, stdin closed),
// with the sidecar's default policy and with an operator allow-list, and checks
// that nothing of the sidecar reaches stdout or stderr unless the operator
// opted in. docs/security.md describes the policy these tests hold.
import path from 'node:path'
import {
  generateManifests,
  type AppSpec,
  type GenerateResult,
  type PluginParameter,
} from '../support/argocd-harness'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { testdir } from '../support/testdir'
import { requireTool } from '../support/tools'

requireTool('helm')
requireTool('kustomize')

/** A file only the sidecar has: the service-account token, /proc/1/environ, a credentials file. */
const SIDECAR_CANARY = 'canary-sidecar-file-7f3a'
const sidecarFiles = testdir({
  token: `${SIDECAR_CANARY}\n`,
  'other-team.yaml': 'team-b/db:\n  password: canary-other-team-9b1c\n',
  'own.yaml': 'team-a/db:\n  password: own-value\n',
})
const SIDECAR_TOKEN = path.join(sidecarFiles, 'token')

/** The operator's backend: a file backend with team A's secrets. */
const FILE_BACKEND = { AVP_TYPE: 'file', AVP_FILE_PATH: path.join(sidecarFiles, 'own.yaml') }

function app(
  files: Readonly<Record<string, string>>,
  plugin: { env?: Record<string, string>; parameters?: PluginParameter[] } = {},
  extra: Partial<AppSpec> = {},
): AppSpec {
  return {
    repoDir: testdir(files),
    path: '.',
    name: 'hostile',
    destinationNamespace: 'team-a',
    plugin: {
      name: 'argocd-secret-plugin',
      env: Object.entries(plugin.env ?? {}).map(([name, value]) => ({ name, value })),
      parameters: plugin.parameters ?? null,
    },
    ...extra,
  }
}

/** A failed run: nothing on stdout, the expected reason, and no canary anywhere. */
function expectRefused(result: GenerateResult, reason: string | RegExp): void {
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.stdout).toBe('')
  expect(result.stderr).toMatch(reason)
  expect(result.stderr).not.toContain('canary')
}

function printed(result: GenerateResult): string {
  if (!result.ok) throw new Error(`generation failed: ${result.error}`)
  return JSON.stringify(result.manifests)
}

describe('plugin parameters: load-restrictor reads any file of the sidecar', () => {
  const kustomization = {
    'kustomization.yaml': [
      'configMapGenerator:',
      '  - name: loot',
      '    files:',
      `      - token=${SIDECAR_TOKEN}`,
      '',
    ].join('\n'),
  }
  const lift = { parameters: [{ name: 'load-restrictor', string: 'LoadRestrictionsNone' }] }

  test('default policy: refused before kustomize runs', async () => {
    const result = await generateManifests(app(kustomization, lift), { env: FILE_BACKEND })
    expectRefused(result, /plugin parameter "load-restrictor": Applications may not set it/)
  })

  test('the strictest env allow-list does not open it either', async () => {
    const result = await generateManifests(app(kustomization, lift), {
      env: { ...FILE_BACKEND, AVP_APP_ENV_ALLOWLIST: '' },
    })
    expectRefused(result, /AVP_APP_PARAM_ALLOWLIST/)
  })

  test('the operator opted in: kustomize reads outside the app (what the default prevents)', async () => {
    const result = await generateManifests(app(kustomization, lift), {
      env: { ...FILE_BACKEND, AVP_APP_PARAM_ALLOWLIST: 'load-restrictor' },
    })
    expect(printed(result)).toContain(SIDECAR_CANARY)
  })
})

describe('plugin env: settings that select credentials, endpoints, files or caches', () => {
  const secret = {
    'secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: loot',
      'stringData:',
      '  password: <path:team-b/db#password>',
      '',
    ].join('\n'),
  }
  const otherTeamFile = { AVP_FILE_PATH: path.join(sidecarFiles, 'other-team.yaml') }

  test('default policy: ARGOCD_ENV_AVP_FILE_PATH is refused', async () => {
    const result = await generateManifests(app(secret, { env: otherTeamFile }), {
      env: FILE_BACKEND,
    })
    expectRefused(result, /ARGOCD_ENV_AVP_FILE_PATH: Applications may not set AVP_FILE_PATH/)
  })

  test('an allow-list that names other keys still refuses it', async () => {
    const result = await generateManifests(app(secret, { env: otherTeamFile }), {
      env: { ...FILE_BACKEND, AVP_APP_ENV_ALLOWLIST: 'VAULT_NAMESPACE' },
    })
    expectRefused(result, /Applications may not set AVP_FILE_PATH/)
  })

  test('the operator opted in: the Application picks the file (what the default prevents)', async () => {
    const result = await generateManifests(app(secret, { env: otherTeamFile }), {
      env: { ...FILE_BACKEND, AVP_APP_ENV_ALLOWLIST: 'AVP_FILE_PATH' },
    })
    expect(printed(result)).toContain('canary-other-team-9b1c')
  })

  describe('ARGOCD_ENV_VAULT_ADDR / AVP_TYPE: the sidecar credentials sent to the tenant', () => {
    let attacker: FakeVault
    beforeAll(async () => {
      attacker = await startFakeVault()
    })
    afterAll(async () => {
      await attacker.stop()
    })

    test('default policy: refused, and the tenant server hears nothing', async () => {
      attacker.resetRequests()
      const env = { AVP_TYPE: 'vault', VAULT_ADDR: attacker.address, AVP_AUTH_TYPE: 'approle' }
      const result = await generateManifests(app(secret, { env }), {
        env: {
          ...FILE_BACKEND,
          AVP_ROLE_ID: 'sidecar-role',
          AVP_SECRET_ID: 'canary-sidecar-secret-id',
        },
      })
      expectRefused(result, /ARGOCD_ENV_AVP_TYPE: Applications may not set AVP_TYPE/)
      if (!result.ok) {
        expect(result.stderr).toMatch(/ARGOCD_ENV_VAULT_ADDR: Applications may not set VAULT_ADDR/)
      }
      expect(attacker.requests).toHaveLength(0)
    })
  })
})
