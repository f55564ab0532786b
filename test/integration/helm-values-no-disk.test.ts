// Resolved Helm values never touch the disk: helm reads them on stdin and
// from FIFOs while the plugin writes them. No file under TMPDIR holds a value
// at any moment of the run, nor after a SIGKILL; a helm orphaned by that kill
// (it runs in its own process group) is released by the next run's sweep.
// Values over a megabyte each pass, all at once.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CLI_PATH, baseEnv, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

const CANARY = 'canary-5d1e-values-password'
const CANARY_2 = 'canary-9b07-values-token'
const BLOB = 1_200_000
/** How long the stand-in helm waits before it starts reading: the window the tests look into. */
const HOLD_S = 0.6

const secrets = testdir({
  'secrets.yaml': `secret/data/app: {password: ${CANARY}, token: ${CANARY_2}}\n`,
})
const chart = testdir({
  'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'values.yaml': `password: <path:secret/data/app#password>\nblob: ${'a'.repeat(BLOB)}\n`,
  'values-prod.yaml': `token: <path:secret/data/app#token>\nblob2: ${'b'.repeat(BLOB)}\n`,
  'templates/secret.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: app',
    'stringData:',
    '  password: {{ .Values.password }}',
    '  token: {{ .Values.token }}',
    '  inline: {{ .Values.inline }}',
    '  sizes: "{{ len .Values.blob }} {{ len .Values.blob2 }}"',
    '',
  ].join('\n'),
})

/** A helm that notes its pid when `helm template` starts, waits, then is the real helm. */
const bin = testdir()
const marks = testdir()
fs.writeFileSync(
  path.join(bin, 'helm'),
  [
    '#!/bin/sh',
    `if [ "$1" = template ]; then echo $$ > ${marks}/pid.tmp && mv ${marks}/pid.tmp ${marks}/pid; sleep ${String(HOLD_S)}; fi`,
    `exec ${requireTool('helm')} "$@"`,
    '',
  ].join('\n'),
  { mode: 0o755 },
)

const env = (tmp: string): Record<string, string> =>
  baseEnv({
    PATH: `${bin}:${toolsPath()}`,
    TMPDIR: tmp,
    AVP_TYPE: 'file',
    AVP_FILE_PATH: path.join(secrets, 'secrets.yaml'),
    ARGOCD_ENV_HELM_VALUES: 'inline: plain-inline-value',
    ARGOCD_APP_PARAMETERS: JSON.stringify([
      { name: 'values-files', array: ['values-prod.yaml'] },
      { name: 'resolve-values-placeholders', string: 'true' },
    ]),
  })

/** Every regular file under `dir` holding a canary (FIFOs and sockets are not read: they hold nothing on disk). */
function canaryFiles(dir: string): string[] {
  const found: string[] = []
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    try {
      const text = fs.readFileSync(full, 'utf8')
      if (text.includes(CANARY) || text.includes(CANARY_2)) found.push(full)
    } catch {
      // Removed between the listing and the read.
    }
  }
  return found
}

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8'))
  } catch {
    return false
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 20))
  }
  return check()
}

const orphans: number[] = []
afterAll(() => {
  for (const pid of orphans) {
    try {
      if (isAlive(pid)) process.kill(-pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
})

test('no file under TMPDIR holds a resolved value at any time; values over 1 MB each pass', async () => {
  const tmp = testdir()
  let scans = 0
  const seen = new Set<string>()
  const poller = setInterval(() => {
    scans += 1
    for (const file of canaryFiles(tmp)) seen.add(file)
  }, 10)
  const result = await runCli(['generate', '.'], { cwd: chart, env: env(tmp) })
  clearInterval(poller)
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(`password: ${CANARY}`)
  expect(result.stdout).toContain(`token: ${CANARY_2}`)
  expect(result.stdout).toContain('inline: plain-inline-value')
  expect(result.stdout).toContain(`sizes: "${String(BLOB)} ${String(BLOB)}"`)
  expect(scans).toBeGreaterThan(HOLD_S * 20)
  expect([...seen]).toEqual([])
}, 30_000)

test('SIGKILL while helm runs leaves no value on disk; the next run frees the orphaned helm', async () => {
  const tmp = testdir()
  fs.rmSync(path.join(marks, 'pid'), { force: true })
  const child = spawn(process.execPath, [CLI_PATH, 'generate', '.'], {
    cwd: chart,
    env: env(tmp),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  const closed = new Promise<void>((resolve) =>
    child.on('close', () => {
      resolve()
    }),
  )
  expect(await until(() => fs.existsSync(path.join(marks, 'pid')), 15_000)).toBe(true)
  const helmPid = Number(fs.readFileSync(path.join(marks, 'pid'), 'utf8'))
  orphans.push(helmPid)
  // As Argo CD kills: the process, then its group. helm is in a group of its own.
  child.kill('SIGKILL')
  process.kill(-(child.pid ?? 0), 'SIGKILL')
  await closed
  expect(stdout).toBe('')
  expect(canaryFiles(tmp)).toEqual([])
  // The orphan wakes up, reads the closed stdin and then waits on a values FIFO nobody writes.
  await new Promise((r) => setTimeout(r, HOLD_S * 1000 + 1500))
  expect(canaryFiles(tmp)).toEqual([])
  expect(isAlive(helmPid)).toBe(true)

  const next = await runCli(['generate', '.'], { cwd: chart, env: env(tmp) })
  expect(next.code).toBe(0)
  expect(await until(() => !isAlive(helmPid), 5000)).toBe(true)
  expect(canaryFiles(tmp)).toEqual([])
  expect(fs.readdirSync(tmp)).toEqual([])
}, 60_000)
