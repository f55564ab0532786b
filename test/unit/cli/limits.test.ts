// Size and shape limits, in-process: each ends with one clear error or a
// correct output, never a crash (exit 70) or a run past its deadline.
import fs from 'node:fs'
import { run } from '../../../src/cli/program'
import { ExitCode } from '../../../src/errors'
import { testdir } from '../../support/testdir'

const dir = testdir({ 'secrets.yaml': 'secret/data/app: {password: s3cret, deep: x}\n' })

async function generate(
  stdin: string,
  env: Record<string, string> = {},
  args: readonly string[] = ['-'],
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await run(['generate', ...args], {
    readStdin: () => Promise.resolve(stdin),
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: { AVP_TYPE: 'file', AVP_FILE_PATH: `${dir}/secrets.yaml`, ...env },
    cwd: dir,
    signal: new AbortController().signal,
  })
  return { code, out, err }
}

const configMap = (i: number): string =>
  `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${String(i)}\ndata:\n  a: <path:secret/data/app#password>\n`

describe('input limits', () => {
  test('input over AVP_MAX_INPUT_BYTES is one clear error before any parsing', async () => {
    const text = configMap(1).repeat(100)
    const result = await generate(text, { AVP_MAX_INPUT_BYTES: '1000' })
    expect(result.code).toBe(ExitCode.UNRESOLVED)
    expect(result.out).toBe('')
    expect(result.err.split('\n')[0]).toMatch(
      /^error: INPUT_INVALID: the input is 9900 bytes, more than the 1000 allowed \(AVP_MAX_INPUT_BYTES\)$/,
    )
  })

  test('an invalid AVP_MAX_INPUT_BYTES is a configuration error', async () => {
    const result = await generate(configMap(1), { AVP_MAX_INPUT_BYTES: '1e6' })
    expect(result.code).toBe(ExitCode.USAGE)
    expect(result.err).toContain('AVP_MAX_INPUT_BYTES')
  })

  test('a stream that outlasts AVP_DEADLINE stops between documents', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => configMap(i)).join('')
    const started = Date.now()
    const result = await generate(text, { AVP_DEADLINE: '0.3' })
    expect(result.out).toBe('')
    expect(result.code).toBe(ExitCode.STOPPED)
    expect(result.err).toContain('did not finish before its deadline (AVP_DEADLINE)')
    expect(Date.now() - started).toBeLessThan(1300)
  })

  test('deep JSON through jsonParse is one clear error', async () => {
    const deep = `${'['.repeat(8000)}${']'.repeat(8000)}`
    const secrets = testdir({ 'secrets.yaml': `secret/data/app: {deep: '${deep}'}\n` })
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: <path:secret/data/app#deep | jsonParse>\n'
    const result = await generate(text, { AVP_FILE_PATH: `${secrets}/secrets.yaml` })
    expect(result.code).toBe(ExitCode.UNRESOLVED)
    expect(result.err).toContain('nests arrays and objects more than 1000 levels deep')
  })

  test('invalid UTF-8 in a file is refused, naming the file and the byte', async () => {
    const app = testdir()
    fs.writeFileSync(
      `${app}/cm.yaml`,
      Buffer.concat([
        Buffer.from('kind: ConfigMap\nmetadata: {name: caf'),
        Buffer.from([0xe9, 0x0a]),
      ]),
    )
    const result = await generate('', {}, [app])
    expect(result.code).not.toBe(ExitCode.OK)
    expect(result.out).toBe('')
    expect(result.err).toMatch(/not valid UTF-8 \(at byte 36\) at .*cm\.yaml/)
  })

  test('a file under a directory with a newline in its name is read, not skipped', async () => {
    const app = testdir({
      'a\nb/cm.yaml': 'kind: ConfigMap\nmetadata: {name: under-newline}\n',
      'top.yaml': 'kind: ConfigMap\nmetadata: {name: top}\n',
    })
    const result = await generate('', {}, [app])
    expect(result.err).toBe('')
    expect(result.code).toBe(ExitCode.OK)
    expect(result.out).toContain('name: under-newline')
  })
})
