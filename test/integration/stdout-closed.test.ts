// A reader that goes away early (`generate | head -c 10`) cut the output, and
// a full disk (stdout on /dev/full) refused it: the run must fail with the I/O
// exit code and one line, not claim success.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { CLI_PATH, baseEnv } from '../support/run-cli'
import { testdir } from '../support/testdir'

const app = testdir({
  'secrets.yaml': 'secret/data/app: {password: s3cret}\n',
  'manifests/many.yaml': Array.from(
    { length: 3000 },
    (_, i) =>
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${String(i)}\ndata:\n  a: <path:secret/data/app#password>\n`,
  ).join(''),
})

test('stdout closed after 10 bytes: exit 74 and one line on stderr', async () => {
  const child = spawn(process.execPath, [CLI_PATH, 'generate', 'manifests'], {
    cwd: app,
    env: baseEnv({ AVP_TYPE: 'file', AVP_FILE_PATH: `${app}/secrets.yaml` }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let received = 0
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdout.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (received >= 10) child.stdout.destroy() // as `head -c 10` exits
  })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  expect(code).toBe(74)
  expect(stderr).toMatch(
    /^error: IO_FAILED: stdout was closed before all output was written \(EPIPE\)\n$/,
  )
}, 30_000)

test('stdout on a full device (/dev/full, ENOSPC): exit 74 and one line on stderr', async () => {
  const full = fs.openSync('/dev/full', 'w')
  const child = spawn(process.execPath, [CLI_PATH, 'generate', 'manifests'], {
    cwd: app,
    env: baseEnv({ AVP_TYPE: 'file', AVP_FILE_PATH: `${app}/secrets.yaml` }),
    stdio: ['ignore', full, 'pipe'],
  })
  fs.closeSync(full)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  expect(code).toBe(74)
  expect(stderr).toMatch(
    /^error: IO_FAILED: not all output could be written to stdout \(ENOSPC\)\n$/,
  )
}, 30_000)
