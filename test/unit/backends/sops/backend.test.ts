// The sops backend with an in-memory port: cleartext that is not a map or not
// JSON is an error that never quotes it, the deadline and SIGTERM wordings,
// and the age key registered with the redactor.
import { createSopsBackend } from '../../../../src/backends/sops/backend'
import type { SopsConfig } from '../../../../src/backends/sops/config'
import type { SopsOutcome, SopsPort } from '../../../../src/backends/sops/port'
import type { FetchContext } from '../../../../src/backends/types'
import { Redactor } from '../../../../src/secrets/redact'
import { refKey } from '../../../../src/secrets/ref'
import { Secret } from '../../../../src/secrets/secret'
import { testdir } from '../../../support/testdir'
import { expectDeadlineAndSigterm, untilAborted } from '../run-signal'

const KEY = 'AGE-SECRET-KEY-canary'
const CONFIG: SopsConfig = { concurrency: 2, keyEnv: new Map([['SOPS_AGE_KEY', new Secret(KEY)]]) }
const ctx = (signal: AbortSignal): FetchContext => ({
  signal,
  deadlineMs: 50,
  log: () => undefined,
})

function backendWith(outcome: (file: string, signal: AbortSignal) => Promise<SopsOutcome>) {
  const app = testdir({ 'map.yaml': 'x', 'list.yaml': 'x', 'text.yaml': 'x', 'slow.yaml': 'x' })
  const redactor = new Redactor()
  const seen: Record<string, string>[] = []
  const port: SopsPort = (run) => {
    seen.push({ ...run.env })
    return outcome(run.file, run.signal)
  }
  const deps = {
    log: () => undefined,
    registerSecret: (value: unknown) => {
      redactor.add(value)
    },
    env: { PATH: '/bin' },
    cwd: app,
    disableTokenCache: false,
  }
  return { backend: createSopsBackend(CONFIG, deps, port), redactor, seen }
}

test('a map is the secret; a list or non-JSON output is an error that quotes nothing', async () => {
  const { backend, redactor, seen } = backendWith((file) => {
    const stdout = file.endsWith('map.yaml')
      ? '{"a":"canary-a"}'
      : file.endsWith('list.yaml')
        ? '["canary-l"]'
        : 'canary-not-json'
    return Promise.resolve({ kind: 'ok', stdout })
  })
  const refs = ['map.yaml', 'list.yaml', 'text.yaml'].map((path) => ({ path }))
  const out = await backend.fetchMany(refs, ctx(new AbortController().signal))
  const map = out.get(refKey({ path: 'map.yaml' }))
  expect(map?.ok && map.data.reveal()).toEqual({ a: 'canary-a' })
  expect(out.get(refKey({ path: 'list.yaml' }))).toEqual({
    ok: false,
    failure: {
      code: 'BACKEND_ERROR',
      message: 'sops file list.yaml does not hold a map at the top level',
    },
  })
  expect(out.get(refKey({ path: 'text.yaml' }))).toEqual({
    ok: false,
    failure: { code: 'BACKEND_ERROR', message: 'sops gave no JSON for sops file text.yaml' },
  })
  expect(JSON.stringify([...out])).not.toContain('canary')
  expect(seen[0]).toEqual({ PATH: '/bin', SOPS_AGE_KEY: KEY })
  expect(redactor.redact(KEY)).toBe('***')
})

test('the run deadline and SIGTERM are told apart', async () => {
  const { backend } = backendWith((_file, signal) =>
    untilAborted<SopsOutcome>(signal, { kind: 'stopped' }),
  )
  const ref = { path: 'slow.yaml' }
  await expectDeadlineAndSigterm(
    async (signal) => (await backend.fetchMany([ref], ctx(signal))).get(refKey(ref)),
    'decrypting sops file slow.yaml',
  )
})
