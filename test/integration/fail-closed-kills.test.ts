// Fail closed under kills: SIGTERM and SIGKILL at random points of plain,
// Helm and Kustomize runs and during CPU-heavy input. Whatever the moment,
// stdout stays empty, the exit is non-zero and prompt, and no run leaves a
// temp dir behind once the next run has swept. NIGHTLY=1 runs many more.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { generateManifests, type AppSpec } from '../support/argocd-harness'
import { judgeOutput } from '../support/argocd-output'
import { CLI_PATH, baseEnv } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool } from '../support/tools'

requireTool('helm')
requireTool('kustomize')

const NIGHTLY = process.env['NIGHTLY'] === '1'
const KILLS_PER_APP = NIGHTLY ? 25 : 3
const CANARY = 'canary-7f3a9c-resolved-value'

/** A repository with a plain, a Helm and a Kustomize app, all using the canary secret. */
function repository(): string {
  const secret = (name: string): string =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: <path:secret/data/app#password>\n`
  const plain = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`plain/s${String(i)}.yaml`, secret(`s${String(i)}`)]),
  )
  return testdir({
    ...plain,
    'helm/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
    'helm/values.yaml': 'password: <path:secret/data/app#password>\n',
    'helm/templates/secret.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: helm\nstringData:\n  password: {{ .Values.password }}\n',
    'kustomize/kustomization.yaml': 'resources:\n  - secret.yaml\n',
    'kustomize/secret.yaml': secret('kustomize'),
  })
}

const secretsFile = testdir({ 'secrets.yaml': `secret/data/app: {password: ${CANARY}}\n` })
const repo = repository()
/** One TMPDIR for every run, as the sidecar's own /tmp emptyDir. */
const sharedTmp = testdir()
const sidecar = {
  env: {
    AVP_TYPE: 'file',
    AVP_FILE_PATH: path.join(secretsFile, 'secrets.yaml'),
    TMPDIR: sharedTmp,
  },
}

function app(appPath: string): AppSpec {
  return {
    repoDir: repo,
    path: appPath,
    name: 'kills',
    plugin: {
      name: 'argocd-secret-plugin',
      parameters:
        appPath === 'helm' ? [{ name: 'resolve-values-placeholders', string: 'true' }] : null,
    },
  }
}

/** Every file under `dir` whose content holds the canary, and every run dir of ours. */
function leftovers(dir: string): string[] {
  const found: string[] = []
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name)
    if (entry.name.startsWith('argocd-secret-plugin-')) found.push(full)
    else if (entry.isFile() && fs.readFileSync(full, 'utf8').includes(CANARY)) found.push(full)
  }
  return found
}

/** Manifests of each app's complete run. */
const fullCount = new Map<string, number>()

describe.each(['plain', 'helm', 'kustomize'])('%s app killed as Argo CD kills it', (appPath) => {
  test('a full run succeeds first', async () => {
    const result = await generateManifests(app(appPath), sidecar)
    if (!result.ok) throw new Error(result.error)
    expect(JSON.stringify(result.manifests)).toContain(CANARY)
    fullCount.set(appPath, result.manifests.length)
  }, 30_000)

  test(`${String(KILLS_PER_APP)} kills at random points: stdout empty or whole, nothing left after the next run`, async () => {
    for (let i = 0; i < KILLS_PER_APP; i++) {
      // Argo CD's deadline, somewhere between start-up and the end of the run.
      const deadlineMs = 50 + Math.floor(Math.random() * 400)
      const started = Date.now()
      const result = await generateManifests(app(appPath), { ...sidecar, deadlineMs })
      expect(Date.now() - started).toBeLessThan(deadlineMs + 1000)
      if (result.ok) continue // finished before the deadline: a whole, valid output
      // Killed: nothing on stdout, unless the kill came after the plugin had
      // written its complete output (Argo CD discards it then); never a cut stream.
      if (result.stdout !== '') {
        const judged = judgeOutput(result.stdout.replace(/\n$/, ''))
        expect(judged.ok && judged.manifests.length).toBe(fullCount.get(appPath))
      }
    }
    // The next run sweeps what killed runs left, and cleans up after itself.
    const next = await generateManifests(app(appPath), sidecar)
    expect(next.ok).toBe(true)
    expect(leftovers(sharedTmp)).toEqual([])
  }, 120_000)
})

/** A plain app heavy on CPU: many documents, each with placeholders. */
const heavy = testdir({
  'many.yaml': Array.from(
    { length: NIGHTLY ? 40_000 : 15_000 },
    (_, i) =>
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${String(i)}\ndata:\n  a: <path:secret/data/app#password>\n  b: "${'<'.repeat(200)}"\n`,
  ).join(''),
})

interface Stopped {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly afterSignalMs: number
}

/** Runs the CLI in its own group and sends SIGTERM after `delayMs`: to the process, then the group. */
function runAndTerminate(delayMs: number): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, 'generate', '.'], {
      cwd: heavy,
      env: baseEnv({ ...sidecar.env, AVP_DEADLINE: '30' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let stdout = ''
    let stderr = ''
    let signalledAt = 0
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      signalledAt = Date.now()
      child.kill('SIGTERM')
      try {
        process.kill(-(child.pid ?? 0), 'SIGTERM')
      } catch {
        // the group is gone already
      }
    }, delayMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({
        code,
        stdout,
        stderr,
        afterSignalMs: signalledAt === 0 ? 0 : Date.now() - signalledAt,
      })
    })
  })
}

describe('SIGTERM during CPU-heavy work', () => {
  test('stops the run: nothing on stdout, non-zero exit within a second', async () => {
    for (const delayMs of NIGHTLY ? [200, 500, 900, 1500, 2500, 4000] : [300, 1200]) {
      const run = await runAndTerminate(delayMs)
      expect(run.stdout).toBe('')
      expect(run.code).not.toBe(0)
      expect(run.afterSignalMs).toBeLessThan(1000)
    }
  }, 60_000)

  test('the deadline stops it the same way', async () => {
    const started = Date.now()
    const child = spawn(process.execPath, [CLI_PATH, 'generate', '.'], {
      cwd: heavy,
      env: baseEnv({ ...sidecar.env, AVP_DEADLINE: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stdout).toBe('')
    expect(code).toBe(4)
    expect(stderr).toContain('AVP_DEADLINE')
    expect(Date.now() - started).toBeLessThan(2000 + 1000) // deadline + 1 s, plus start-up
  }, 30_000)
})
