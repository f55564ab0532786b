import { MAX_LINE_CHARS, MAX_PROBLEM_LINES, reportFailure } from '../../../src/cli/report'
import {
  ConfigError,
  ExitCode,
  formatProblem,
  ProblemsError,
  RenderError,
} from '../../../src/errors'

describe('formatProblem', () => {
  test('one line with code, message, location and the placeholder as written', () => {
    const line = formatProblem({
      code: 'KEY_NOT_FOUND',
      message: 'key "password" not found in secret/data/db',
      location: {
        file: 'app/db.yaml',
        document: 2,
        resource: 'Secret/db',
        field: 'stringData.password',
      },
      placeholder: '<path:secret/data/db#password>',
    })
    expect(line).toBe(
      'error: KEY_NOT_FOUND: key "password" not found in secret/data/db at app/db.yaml#2 Secret/db stringData.password (<path:secret/data/db#password>)',
    )
  })

  test('multi-line text cannot break the one-line-per-problem rule', () => {
    const line = formatProblem({
      code: 'BACKEND_ERROR',
      message: 'first\nsecond',
      placeholder: '<a\nb>',
    })
    expect(line.split('\n')).toHaveLength(1)
  })
})

describe('reportFailure', () => {
  test('problems: one line each plus a summary, exit 1', () => {
    const result = reportFailure(
      new ProblemsError([
        { code: 'SECRET_NOT_FOUND', message: 'secret a not found' },
        { code: 'KEY_NOT_FOUND', message: 'key b not found' },
      ]),
    )
    expect(result.exitCode).toBe(ExitCode.UNRESOLVED)
    expect(result.lines).toEqual([
      'error: SECRET_NOT_FOUND: secret a not found',
      'error: KEY_NOT_FOUND: key b not found',
      'argocd-secret-plugin: 2 problem(s); nothing was written to stdout',
    ])
  })

  test('configuration: every issue on its own line, exit 2', () => {
    const result = reportFailure(new ConfigError(['AVP_TYPE: required', 'VAULT_ADDR: required']))
    expect(result).toEqual({
      lines: [
        'error: CONFIG_INVALID: AVP_TYPE: required',
        'error: CONFIG_INVALID: VAULT_ADDR: required',
      ],
      exitCode: ExitCode.USAGE,
    })
  })

  test('render failures exit 3', () => {
    expect(reportFailure(new RenderError('helm template failed (exit 1)'))).toEqual({
      lines: ['error: RENDER_FAILED: helm template failed (exit 1)'],
      exitCode: ExitCode.RENDER,
    })
  })

  test('anything else is a bug: exit 70, first line only, no stack', () => {
    const error = new TypeError('boom\n    at secret place')
    const result = reportFailure(error)
    expect(result.exitCode).toBe(ExitCode.INTERNAL)
    expect(result.lines).toHaveLength(1)
    expect(result.lines[0]).toContain('TypeError: boom')
    expect(result.lines[0]).not.toContain('secret place')
  })

  test('a thrown non-Error is reported as an unknown error, its value never printed', () => {
    expect(reportFailure('canary-thrown-string')).toEqual({
      lines: ['error: INTERNAL: unknown error (this is a bug in argocd-secret-plugin)'],
      exitCode: ExitCode.INTERNAL,
    })
  })
})

describe('reportFailure with many identical failures', () => {
  test('shows three places per identical error, then one line counting the rest', () => {
    const problems = Array.from({ length: 40 }, (_, i) => ({
      code: 'AUTH_FAILED' as const,
      message: 'approle login at auth/approle failed: invalid role or secret ID',
      location: { file: 'a.yaml', document: i + 1 },
      placeholder: `<path:secret/data/app#k${String(i)}>`,
    }))
    const other = { code: 'KEY_NOT_FOUND' as const, message: 'key "x" not found in secret/data/b' }
    const { lines } = reportFailure(new ProblemsError([...problems, other]))
    expect(lines).toEqual([
      'error: AUTH_FAILED: approle login at auth/approle failed: invalid role or secret ID at a.yaml#1 (<path:secret/data/app#k0>)',
      'error: AUTH_FAILED: approle login at auth/approle failed: invalid role or secret ID at a.yaml#2 (<path:secret/data/app#k1>)',
      'error: AUTH_FAILED: approle login at auth/approle failed: invalid role or secret ID at a.yaml#3 (<path:secret/data/app#k2>)',
      'error: KEY_NOT_FOUND: key "x" not found in secret/data/b',
      'error: AUTH_FAILED: approle login at auth/approle failed: invalid role or secret ID (and 37 more place(s) with the same error)',
      'argocd-secret-plugin: 41 problem(s); nothing was written to stdout',
    ])
  })
})

test('exactly three places with the same error are all shown, with no count', () => {
  const problems = [1, 2, 3].map((document) => ({
    code: 'AUTH_FAILED' as const,
    message: 'login failed',
    location: { file: 'a.yaml', document },
  }))
  const { lines } = reportFailure(new ProblemsError(problems))
  expect(lines).toEqual([
    'error: AUTH_FAILED: login failed at a.yaml#1',
    'error: AUTH_FAILED: login failed at a.yaml#2',
    'error: AUTH_FAILED: login failed at a.yaml#3',
    'argocd-secret-plugin: 3 problem(s); nothing was written to stdout',
  ])
})

describe('reportFailure keeps one problem on one line', () => {
  test.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['NEL', '\u0085'],
    ['LINE SEPARATOR', '\u2028'],
    ['PARAGRAPH SEPARATOR', '\u2029'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
  ])('a %s in any field cannot start a line of its own', (_name, ch) => {
    const forged = `x${ch}error: AUTH_FAILED: forged`
    const { lines } = reportFailure(
      new ProblemsError([
        {
          code: 'KEY_NOT_FOUND',
          message: `key "${forged}" not found`,
          location: { file: forged, document: 1, resource: `Secret/${forged}`, field: forged },
          placeholder: `<${forged}>`,
        },
      ]),
    )
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
    }
    expect(lines[0]?.startsWith('error: KEY_NOT_FOUND: ')).toBe(true)
  })

  test('configuration issues and error messages are escaped too', () => {
    const config = reportFailure(new ConfigError(['AVP_X: bad\nerror: forged']))
    expect(config.lines).toEqual(['error: CONFIG_INVALID: AVP_X: bad\\nerror: forged'])
    const render = reportFailure(new RenderError('helm failed: a\u2028b'))
    expect(render.lines).toEqual(['error: RENDER_FAILED: helm failed: a\\u2028b'])
  })
})

describe('reportFailure caps the report', () => {
  test('20,000 different failures print a bounded report with a count of the rest', () => {
    // Fewer under mutation testing (jest.mutation.config.js), where code runs instrumented.
    const count = process.env['MASKING_UNDER_MUTATION'] === '1' ? 500 : 20_000
    const problems = Array.from({ length: count }, (_, i) => ({
      code: 'KEY_NOT_FOUND' as const,
      message: `key "k${String(i)}" not found in secret/data/app`,
      location: { file: 'a.yaml', document: 1, field: `data.k${String(i)}` },
      placeholder: `<path:secret/data/app#k${String(i)}>`,
    }))
    const { lines } = reportFailure(new ProblemsError(problems))
    expect(lines).toHaveLength(MAX_PROBLEM_LINES + 2)
    expect(lines.at(-2)).toBe(
      `error: ... and ${String(count - MAX_PROBLEM_LINES)} more line(s) not shown`,
    )
    expect(lines.at(-1)).toBe(
      `argocd-secret-plugin: ${String(count)} problem(s); nothing was written to stdout`,
    )
    expect(lines.join('\n').length).toBeLessThan(10_000)
  })

  test('a line of exactly the maximum length is kept whole', () => {
    const message = 'm'.repeat(MAX_LINE_CHARS - 'error: PLACEHOLDER_SYNTAX: '.length)
    const { lines } = reportFailure(new ProblemsError([{ code: 'PLACEHOLDER_SYNTAX', message }]))
    expect(lines[0]).toBe(`error: PLACEHOLDER_SYNTAX: ${message}`)
    expect(lines[0]).toHaveLength(MAX_LINE_CHARS)
  })

  test('exactly the maximum number of lines needs no count', () => {
    const problems = Array.from({ length: MAX_PROBLEM_LINES }, (_, i) => ({
      code: 'KEY_NOT_FOUND' as const,
      message: `key "k${String(i)}" not found`,
    }))
    const { lines } = reportFailure(new ProblemsError(problems))
    expect(lines).toHaveLength(MAX_PROBLEM_LINES + 1)
    expect(lines.join('\n')).not.toContain('not shown')
  })

  test('a huge placeholder as written is cut', () => {
    const { lines } = reportFailure(
      new ProblemsError([
        { code: 'PLACEHOLDER_SYNTAX', message: 'bad', placeholder: `<${'a'.repeat(400_000)}>` },
      ]),
    )
    expect(lines[0]?.length).toBe(MAX_LINE_CHARS + 1)
    expect(lines[0]?.endsWith('…')).toBe(true)
  })
})
