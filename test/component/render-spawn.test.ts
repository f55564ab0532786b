// runTool with real child processes: argv without a shell, allow-listed env,
// deadline and cancellation stopping the whole process group, bounded stdout,
// one-line stderr tails.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { RenderError } from '../../src/errors'
import { runTool, type ToolRun } from '../../src/render/spawn'
import { toolEnv } from '../../src/render/tool-env'
import { testdir } from '../support/testdir'

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  return file
}

function run(file: string, extra: Partial<ToolRun> = {}): Promise<string> {
  return runTool({
    file,
    args: [],
    label: 'fake tool',
    cwd: path.dirname(file),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    signal: new AbortController().signal,
    deadlineAt: Date.now() + 10_000,
    ...extra,
  })
}

/** Running and not a zombie (a container's init may not reap orphans at once). */
function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z/.test(stat)
  } catch {
    return false
  }
}

describe('runTool', () => {
  const dir = testdir()
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  test('passes argv words literally (no shell) and returns stdout', async () => {
    const file = script(dir, 'echo-args', 'for a in "$@"; do printf "[%s]\\n" "$a"; done')
    const out = await run(file, { args: ['a b', '$(id)', '--set=x=1,y=2', ';rm -rf /'] })
    expect(out).toBe('[a b]\n[$(id)]\n[--set=x=1,y=2]\n[;rm -rf /]\n')
  })

  test('the child sees only the allow-listed environment', async () => {
    const file = script(dir, 'print-env', 'env | sort')
    const env = toolEnv({
      PATH: process.env['PATH'],
      HOME: '/tmp',
      LC_ALL: 'C',
      VAULT_TOKEN: 'canary-vault-token',
      AWS_SECRET_ACCESS_KEY: 'canary-aws-secret',
      AVP_ROLE_ID: 'canary-role',
      ARGOCD_ENV_HELM_VALUES: 'canary-values',
      HELM_KUBETOKEN: 'canary-kube-token',
      KUBECONFIG: '/root/.kube/config',
    })
    const out = await run(file, { env })
    expect(out).not.toContain('canary')
    expect(out).not.toContain('KUBECONFIG')
    expect(out).toContain('LC_ALL=C')
    expect(out).toContain('HOME=/tmp')
  })

  test('a non-zero exit gives one line with the stderr tail', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `echo "line ${String(i)}" >&2`).join('\n')
    const file = script(dir, 'fail', `${lines}\necho "\\033[31mError: boom\\033[0m" >&2\nexit 4`)
    const error = await run(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RenderError)
    const message = (error as RenderError).message
    expect(message).not.toContain('\n')
    expect(message).toMatch(
      /^fake tool failed with exit code 4: line 11 \| .* \| line 29 \| Error: boom$/,
    )
    expect(message).not.toContain('line 10 ')
  })

  test('stderr can be rewritten before it is quoted (temp files named by their source)', async () => {
    const file = script(dir, 'fail-path', 'echo "Error: bad /tmp/x/values-0.yaml" >&2; exit 1')
    const error = await run(file, {
      rewriteStderr: (t) => t.split('/tmp/x/values-0.yaml').join('parameter values'),
    }).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      'fake tool failed with exit code 1: Error: bad parameter values',
    )
  })

  test('the deadline stops the tool and every process it started', async () => {
    const pidFile = path.join(dir, 'grandchild.pid')
    const file = script(dir, 'hang', `sleep 30 &\necho $! > ${pidFile}\nwait`)
    const started = Date.now()
    const error = await run(file, { deadlineAt: Date.now() + 500 }).catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(5000)
    expect((error as Error).message).toBe(
      'fake tool did not finish before the run deadline (AVP_DEADLINE) and was stopped',
    )
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8').trim())
    await new Promise((r) => setTimeout(r, 200))
    expect(isAlive(grandchild)).toBe(false)
  })

  test('a tool ignoring SIGTERM is killed after the grace period', async () => {
    const file = script(dir, 'stubborn', 'trap "" TERM\nwhile true; do sleep 0.1; done')
    const started = Date.now()
    const error = await run(file, { deadlineAt: Date.now() + 300 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RenderError)
    expect(Date.now() - started).toBeLessThan(6000)
  })

  test('an aborted signal cancels the run; a timeout reason reads as a timeout', async () => {
    const file = script(dir, 'sleepy', 'sleep 30')
    const controller = new AbortController()
    setTimeout(() => {
      controller.abort()
    }, 200)
    await expect(run(file, { signal: controller.signal })).rejects.toThrow(
      'fake tool was cancelled: the plugin was asked to stop',
    )
    await expect(run(file, { signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /did not finish before the run deadline/,
    )
    await expect(run(file, { deadlineAt: Date.now() - 1 })).rejects.toThrow(/run deadline/)
  })

  test('stdout is bounded', async () => {
    const file = script(dir, 'chatty', 'yes kind: ConfigMap')
    await expect(run(file, { maxStdoutBytes: 64 * 1024 })).rejects.toThrow(
      /printed more than 0\.0625 MiB .* and was stopped/,
    )
  })

  test('a missing or non-executable binary is one clear line', async () => {
    await expect(run(path.join(dir, 'helm'))).rejects.toThrow(
      'helm is not installed or not on PATH',
    )
    const file = path.join(dir, 'not-exec')
    fs.writeFileSync(file, 'x', { mode: 0o644 })
    await expect(run(file)).rejects.toThrow(/not-exec .* is not executable/)
  })

  test('stdin and FIFOs each far over a pipe buffer reach a tool reading them in any order', async () => {
    const fifos = ['a.fifo', 'b.fifo'].map((name) => path.join(dir, name))
    execFileSync('mkfifo', ['-m', '600', ...fifos])
    // Reads the second FIFO first, stdin last: the writes must all be in flight at once.
    const file = script(dir, 'read-all', 'wc -c < "$2"; wc -c < "$1"; wc -c')
    const mb = (n: number, c: string): string => c.repeat(n * 1024 * 1024)
    const out = await run(file, {
      args: fifos,
      input: {
        stdin: mb(2, 's'),
        fifos: [
          { path: fifos[0] ?? '', data: mb(3, 'a') },
          { path: fifos[1] ?? '', data: mb(1, 'b') },
        ],
      },
    })
    expect(out.split('\n').map((n) => n.trim())).toEqual(['1048576', '3145728', '2097152', ''])
  })

  test('a tool that exits without reading its inputs neither hangs nor fails', async () => {
    const fifo = path.join(dir, 'unread.fifo')
    execFileSync('mkfifo', ['-m', '600', fifo])
    const file = script(dir, 'ignore-input', 'echo done')
    const started = Date.now()
    const out = await run(file, {
      input: {
        stdin: 'x'.repeat(4 * 1024 * 1024),
        fifos: [{ path: fifo, data: 'y'.repeat(1024 * 1024) }],
      },
    })
    expect(out).toBe('done\n')
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
