// Rendering through the built CLI (`generate --render …`, `parameters`) with
// the file backend: the end-to-end paths the emulation test does not cover,
// and what a render tool can and cannot see.
import fs from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

const EXAMPLES = path.resolve(__dirname, '../../examples')
requireTool('helm')
requireTool('kustomize')

function env(extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv({ PATH: toolsPath(), HOME: testdir(), AVP_TYPE: 'file', ...extra })
}

function kinds(result: CliResult): string[] {
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as { kind: string; metadata?: { name: string } } | null)
    .filter((d) => d !== null)
    .map((d) => `${d.kind}/${d.metadata?.name ?? ''}`)
    .sort()
}

function expectOneLineFailure(result: CliResult, code: number, line: RegExp): void {
  expect(result.code).toBe(code)
  expect(result.stdout).toBe('')
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(line)
}

beforeAll(() => {
  if (!fs.existsSync(CLI_PATH)) throw new Error('dist/cli.cjs is missing: run npm run build')
})

describe('generate renders directories', () => {
  test('--render overrides detection', async () => {
    const dir = path.join(EXAMPLES, 'app-kustomize/overlays/prod')
    const secrets = path.join(EXAMPLES, 'app-kustomize/secrets.yaml')
    const rendered = await runCli(['generate', dir], { env: env({ AVP_FILE_PATH: secrets }) })
    expect(kinds(rendered)).toEqual([
      'Deployment/prod-web',
      'Secret/prod-api',
      'Secret/prod-web-db',
    ])
    const plain = await runCli(['generate', '--render', 'plain', dir], {
      env: env({ AVP_FILE_PATH: secrets }),
    })
    // Plain: the overlay's files as they are (kustomization.yaml has a kind, so it stays).
    expect(kinds(plain)).toEqual(['Kustomization/', 'Secret/api'])
  })

  test('generate - reads stdin and never renders, even in a chart directory', async () => {
    const chart = testdir({ 'Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n' })
    const result = await runCli(['generate', '-'], {
      cwd: chart,
      env: env({ PATH: testdir(), AVP_FILE_PATH: path.join(EXAMPLES, 'app-plain/secrets.yaml') }),
      stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n',
    })
    expect(kinds(result)).toEqual(['ConfigMap/from-stdin'])
  })

  test('a Kustomize failure is one line, exit 3, empty stdout', async () => {
    const dir = testdir({ 'kustomization.yaml': 'resources:\n  - missing.yaml\n' })
    const secrets = path.join(EXAMPLES, 'app-kustomize/secrets.yaml')
    const result = await runCli(['generate', dir], { env: env({ AVP_FILE_PATH: secrets }) })
    expectOneLineFailure(
      result,
      3,
      /^error: RENDER_FAILED: kustomize build failed with exit code 1: .*missing\.yaml/,
    )
  })

  test('helm sees no credential and the resolved values never outlive the run', async () => {
    const bin = testdir()
    const envDump = path.join(bin, 'env.txt')
    fs.writeFileSync(
      path.join(bin, 'helm'),
      `#!/bin/sh\nenv > ${envDump}\necho "kind: ConfigMap"\necho "metadata: {name: fake}"\n`,
      { mode: 0o755 },
    )
    const chart = testdir({
      'Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n',
      'values.yaml': 'password: <path:secret/data/demo/db#password>\n',
    })
    const tmp = testdir()
    const result = await runCli(['generate', chart], {
      env: env({
        PATH: `${bin}:/usr/bin:/bin`,
        TMPDIR: tmp,
        AVP_FILE_PATH: path.join(EXAMPLES, 'app-helm/secrets.yaml'),
        VAULT_TOKEN: 'canary-vault-token',
        AWS_SECRET_ACCESS_KEY: 'canary-aws-secret',
        AVP_SECRET_ID: 'canary-avp-secret',
        // The operator lets Applications set it, so it reaches the settings layer.
        AVP_APP_ENV_ALLOWLIST: 'VAULT_TOKEN',
        ARGOCD_ENV_VAULT_TOKEN: 'canary-argocd-env',
        ARGOCD_APP_PARAMETERS: JSON.stringify([
          { name: 'resolve-values-placeholders', string: 'true' },
        ]),
      }),
    })
    expect(kinds(result)).toEqual(['ConfigMap/fake'])
    const seen = fs.readFileSync(envDump, 'utf8')
    expect(seen).not.toContain('canary')
    expect(seen).not.toMatch(/^(AVP_|VAULT_|AWS_|ARGOCD_)/m)
    expect(fs.readdirSync(tmp)).toEqual([])
  })
})

describe('parameters', () => {
  test('prints the JSON announcement for a chart, with no backend configured', async () => {
    const result = await runCli(['parameters'], {
      cwd: path.join(EXAMPLES, 'app-helm/chart'),
      env: baseEnv({ ARGOCD_APP_PARAMETERS: 'null' }),
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const announced = JSON.parse(result.stdout) as { name: string; map?: Record<string, string> }[]
    expect(announced.map((a) => a.name)).toEqual(['values-files', 'set'])
    expect(announced[1]?.map?.['image.tag']).toBe('1.27')
  })
})
