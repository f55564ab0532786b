import { run } from '../../../src/cli/program'
import type { Io } from '../../../src/io'
import { testdir } from '../../support/testdir'

const CANARY = 'canary-5e7a-db-password'

interface Captured {
  readonly io: Io
  readonly out: () => string
  readonly err: () => string
}

function capture(env: Record<string, string>, cwd: string, stdin = ''): Captured {
  let out = ''
  let err = ''
  return {
    io: {
      readStdin: () => Promise.resolve(stdin),
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env,
      cwd,
      signal: new AbortController().signal,
    },
    out: () => out,
    err: () => err,
  }
}

const app = testdir({
  'secrets.yaml': `secret/data/db:\n  password: ${CANARY}\n  port: 5432\n`,
  'manifests/secret.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: db',
    '  annotations:',
    '    avp.kubernetes.io/path: secret/data/db',
    'stringData:',
    '  password: <password> # from the file backend',
    '',
  ].join('\n'),
  'broken/secret.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: db}',
    'stringData:',
    '  a: <path:secret/data/db#password | jsonParse>',
    '  b: <path:secret/data/db#nope>',
    '',
  ].join('\n'),
})
const env = { AVP_TYPE: 'file', AVP_FILE_PATH: `${app}/secrets.yaml` }

describe('run (in-process CLI)', () => {
  test('generate prints the substituted manifests and exits 0', async () => {
    const c = capture(env, app)
    expect(await run(['generate', 'manifests'], c.io)).toBe(0)
    expect(c.out()).toBe(
      [
        '---',
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: db',
        '  annotations:',
        '    avp.kubernetes.io/path: secret/data/db',
        'stringData:',
        `  password: ${CANARY} # from the file backend`,
        '',
      ].join('\n'),
    )
    expect(c.err()).toBe('')
  })

  test('failures print one line per problem, nothing on stdout, and never the value', async () => {
    const c = capture(env, app)
    expect(await run(['generate', 'broken', '--verbose'], c.io)).toBe(1)
    expect(c.out()).toBe('')
    const errors = c
      .err()
      .split('\n')
      .filter((l) => l.startsWith('error: '))
    expect(errors).toEqual([
      'error: MODIFIER_FAILED: jsonParse: value is not valid JSON at broken/secret.yaml#1 Secret/db stringData.a (<path:secret/data/db#password | jsonParse>)',
      'error: KEY_NOT_FOUND: key "nope" not found in secret/data/db at broken/secret.yaml#1 Secret/db stringData.b (<path:secret/data/db#nope>)',
    ])
    expect(c.err()).not.toContain(CANARY)
  })

  test('--verbose-sensitive-output is accepted, says values are never printed, and prints none', async () => {
    const c = capture(env, app)
    expect(await run(['generate', '--verbose-sensitive-output', 'manifests'], c.io)).toBe(0)
    expect(c.err()).toContain('never prints secret values')
    expect(c.err()).toContain('debug: plan')
    expect(c.err()).not.toContain(CANARY)
  })

  test('an unknown flag is a usage error: exit 2, one line, no usage dump', async () => {
    const c = capture(env, app)
    expect(await run(['generate', '--bogus'], c.io)).toBe(2)
    expect(c.out()).toBe('')
    expect(c.err().trim().split('\n')).toHaveLength(1)
    expect(c.err()).toContain("unknown option '--bogus'")
  })

  test('an input without any object is refused unless --allow-empty', async () => {
    const c = capture(env, app, '# nothing here\n---\n')
    expect(await run(['generate', '-'], c.io)).toBe(1)
    expect(c.out()).toBe('')
    expect(c.err()).toContain('refusing to print an empty stream')
    const allowed = capture(env, app, '# nothing here\n')
    expect(await run(['generate', '--allow-empty', '-'], allowed.io)).toBe(0)
    expect(allowed.out()).toBe('')
  })

  test('no AVP_TYPE is fine without placeholders and a clear error with them', async () => {
    const plain = capture({}, app, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')
    expect(await run(['generate', '-'], plain.io)).toBe(0)
    const needs = capture({}, app)
    expect(await run(['generate', 'manifests'], needs.io)).toBe(2)
    expect(needs.err()).toContain('error: CONFIG_INVALID: AVP_TYPE: not set')
  })

  test('version prints the AVP-shaped version line', async () => {
    const c = capture({}, app)
    expect(await run(['version'], c.io)).toBe(0)
    expect(c.out()).toMatch(/^argocd-secret-plugin v\d+\.\d+\.\d+ \(.*\) BuildDate: .*\n$/)
  })
})
