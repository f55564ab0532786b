// Size and shape limits through the built CLI: a 200 MB input (a file and a
// stream on stdin) ends at once with one clear error and nothing on stdout;
// bytes that are not UTF-8 are refused with their place, never replaced by
// U+FFFD; a manifest and a Helm values file with very many keys give a correct
// output within the deadline. CI runs 50k keys; NIGHTLY=1 runs 200k.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { CLI_PATH, baseEnv, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

const KEYS = process.env['NIGHTLY'] === '1' ? 200_000 : 50_000
const HUGE = 200 * 1024 * 1024
const DEADLINE_S = 50
const secrets = testdir({ 'secrets.yaml': 'secret/data/app: {password: canary-size-value}\n' })
const env = (extra: Record<string, string> = {}): Record<string, string> =>
  baseEnv({
    PATH: toolsPath(),
    AVP_TYPE: 'file',
    AVP_FILE_PATH: path.join(secrets, 'secrets.yaml'),
    AVP_DEADLINE: String(DEADLINE_S),
    ...extra,
  })

/** A 200 MB file that costs no disk: sparse, all NUL bytes. */
function hugeFile(): string {
  const dir = testdir()
  const file = path.join(dir, 'huge.yaml')
  fs.writeFileSync(file, '')
  fs.truncateSync(file, HUGE)
  return file
}

const TOO_LARGE = `error: INPUT_INVALID: the input is ${String(HUGE)} bytes, more than the 33554432 allowed (AVP_MAX_INPUT_BYTES)`

function expectOneError(result: CliResult, line: string): void {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(1)
  expect(result.stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([line])
}

test('a 200 MB manifest file: one clear error at once, nothing on stdout', async () => {
  const file = hugeFile()
  const started = Date.now()
  const result = await runCli(['generate', file], { env: env() })
  expectOneError(result, TOO_LARGE)
  expect(Date.now() - started).toBeLessThan(10_000)
})

/** A `generate -` run whose stdin the test writes; `result` settles when it ends. */
function startGenerateFromStdin(): {
  child: ChildProcessWithoutNullStreams
  result: Promise<CliResult>
} {
  const child = spawn(process.execPath, [CLI_PATH, 'generate', '-'], {
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  // The plugin may stop reading once it knows the input is refused.
  child.stdin.on('error', () => undefined)
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr })
    }),
  )
  return { child, result }
}

/** `generate -` with stdin fed by `feed` (a stream or bytes `runCli`'s string cannot carry). */
function generateFromStdin(feed: (stdin: Writable) => void): Promise<CliResult> {
  const { child, result } = startGenerateFromStdin()
  feed(child.stdin)
  return result
}

test('200 MB on stdin: one clear error, nothing on stdout, within the deadline', async () => {
  const file = hugeFile()
  const started = Date.now()
  const result = await generateFromStdin((stdin) => fs.createReadStream(file).pipe(stdin))
  expect(result.stdout).toBe('')
  expect(result.code).toBe(1)
  expect(result.stderr.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(1)
  expect(result.stderr).toMatch(
    /^error: INPUT_INVALID: the input is \d+ bytes, more than the 33554432 allowed \(AVP_MAX_INPUT_BYTES\)/m,
  )
  expect(Date.now() - started).toBeLessThan(DEADLINE_S * 1000)
}, 60_000)

const INVALID = Buffer.concat([
  Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "caf'),
  Buffer.from([0xc3, 0x28]),
  Buffer.from('"\n'),
])

test('bytes that are not UTF-8 on stdin are refused with their offset, never replaced', async () => {
  const result = await generateFromStdin((stdin) => stdin.end(INVALID))
  expectOneError(result, 'error: INPUT_INVALID: not valid UTF-8 (at byte 66) at <stdin>')
  expect(result.stderr).not.toContain('\uFFFD')
})

test('bytes that are not UTF-8 in a manifest file are refused with the file and offset', async () => {
  const dir = testdir()
  fs.writeFileSync(path.join(dir, 'bad.yaml'), INVALID)
  const result = await runCli(['generate', dir], { env: env() })
  expect(result.stdout).toBe('')
  expect(result.code).toBe(1)
  const errors = result.stderr.split('\n').filter((l) => l.startsWith('error: '))
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(/^error: INPUT_INVALID: .*not valid UTF-8 \(at byte 66\).*bad\.yaml/)
  expect(result.stderr).not.toContain('\uFFFD')
})

test(`a manifest with ${String(KEYS)} keys: the correct output within the deadline`, async () => {
  const keys = Array.from({ length: KEYS }, (_, i) => `  k${String(i)}: v${String(i)}\n`).join('')
  const dir = testdir({
    'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys}  secret: <path:secret/data/app#password>\n`,
  })
  const started = Date.now()
  const result = await runCli(['generate', dir], { env: env() })
  const ms = Date.now() - started
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(`  k${String(KEYS - 1)}: v${String(KEYS - 1)}\n`)
  expect(result.stdout).toContain('  secret: canary-size-value\n')
  expect(ms).toBeLessThan(DEADLINE_S * 1000)
  process.stdout.write(`manifest with ${String(KEYS)} keys: ${String(ms)} ms\n`)
}, 120_000)

test(`a Helm values file with ${String(KEYS)} keys, resolved first: the correct output within the deadline`, async () => {
  requireTool('helm')
  const keys = Array.from({ length: KEYS }, (_, i) => `  k${String(i)}: v${String(i)}\n`).join('')
  const chart = testdir({
    'Chart.yaml': 'apiVersion: v2\nname: big\nversion: 0.1.0\n',
    'values.yaml': `password: <path:secret/data/app#password>\nkeys:\n${keys}`,
    'templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  password: {{ .Values.password }}\n  count: "{{ len .Values.keys }}"\n',
  })
  const started = Date.now()
  const result = await runCli(['generate', '.'], {
    cwd: chart,
    env: env({
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'resolve-values-placeholders', string: 'true' },
      ]),
    }),
  })
  const ms = Date.now() - started
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('  password: canary-size-value\n')
  expect(result.stdout).toContain(`  count: "${String(KEYS)}"\n`)
  expect(ms).toBeLessThan(DEADLINE_S * 1000)
  process.stdout.write(`Helm values with ${String(KEYS)} keys: ${String(ms)} ms\n`)
}, 120_000)

test('SIGTERM while stdin is still open: the run stops at once, exit 4, nothing on stdout', async () => {
  const { child, result } = startGenerateFromStdin()
  child.stdin.write('apiVersion: v1\n') // and never closed
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  child.kill('SIGTERM')
  // A run that ignores SIGTERM is killed after 3 s, so the failure is this
  // test's and not a process left holding jest open.
  let timer: NodeJS.Timeout | undefined
  const outlived = new Promise<'outlived SIGTERM'>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve('outlived SIGTERM')
    }, 3_000)
  })
  const ended = await Promise.race([result, outlived])
  clearTimeout(timer)
  child.stdin.destroy()
  expect(ended).not.toBe('outlived SIGTERM')
  const { code, stdout, stderr } = await result
  expect(code).toBe(4)
  expect(stdout).toBe('')
  expect(stderr).toMatch(/^error: TIMEOUT: the plugin was asked to stop/m)
})
