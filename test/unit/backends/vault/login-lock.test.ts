// The cross-process login lock: taken when free, waited on while a live run
// holds it, taken over when its holder is gone or it is too old or unreadable,
// never waited on past the run's signal.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { lockLogin } from '../../../../src/backends/vault/login-lock'
import type { DebugEvent } from '../../../../src/log'
import { testdir } from '../../../support/testdir'

const CACHE_FILE = 'vault-token-abc123.json'
const LOCK = 'login-abc123.lock'

function setup(holder?: string): {
  dir: string
  events: DebugEvent[]
  log: (e: DebugEvent) => void
} {
  const dir = testdir(holder === undefined ? {} : { [LOCK]: holder })
  const events: DebugEvent[] = []
  return { dir, events, log: (e) => events.push(e) }
}

const holderBody = (pid: number, at: number, host = os.hostname()): string =>
  JSON.stringify({ pid, host, at })

test('a free lock is taken at once, names its holder and is gone after release', async () => {
  const { dir, log } = setup()
  const lock = await lockLogin(dir, CACHE_FILE, new AbortController().signal, log)
  const body = JSON.parse(fs.readFileSync(path.join(dir, LOCK), 'utf8')) as Record<string, unknown>
  expect(body).toMatchObject({ pid: process.pid, host: os.hostname() })
  expect(typeof body['at']).toBe('number')
  await lock.release()
  expect(fs.readdirSync(dir)).toEqual([])
})

test('a live, fresh holder is waited for until it releases', async () => {
  const { dir, log } = setup(holderBody(process.pid, Date.now()))
  setTimeout(() => {
    fs.rmSync(path.join(dir, LOCK))
  }, 300)
  const started = Date.now()
  const lock = await lockLogin(dir, CACHE_FILE, new AbortController().signal, log)
  expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  expect(fs.existsSync(path.join(dir, LOCK))).toBe(true)
  await lock.release()
})

test.each([
  ['a holder on this host that is gone', holderBody(2 ** 22 + 12345, Date.now())],
  ['a holder older than 15 s', holderBody(process.pid, Date.now() - 16_000)],
  ['a lock that does not say who holds it', 'not json'],
])('%s is taken over at once', async (_name, body) => {
  const { dir, events, log } = setup(body)
  const started = Date.now()
  const lock = await lockLogin(dir, CACHE_FILE, new AbortController().signal, log)
  expect(Date.now() - started).toBeLessThan(1000)
  expect(events).toContainEqual({
    kind: 'token-cache',
    action: 'lock',
    reason: 'taking over a stale lock',
  })
  const now = JSON.parse(fs.readFileSync(path.join(dir, LOCK), 'utf8')) as { pid: number }
  expect(now.pid).toBe(process.pid)
  await lock.release()
})

test("another host's pid is not judged here: its fresh lock is waited on", async () => {
  const { dir, log } = setup(holderBody(2 ** 22 + 12345, Date.now(), 'other-pod'))
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort()
  }, 200)
  const started = Date.now()
  const lock = await lockLogin(dir, CACHE_FILE, controller.signal, log)
  // Given up at the signal, without the lock: the foreign lock stays.
  expect(Date.now() - started).toBeGreaterThanOrEqual(150)
  expect(Date.now() - started).toBeLessThan(1500)
  expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK), 'utf8'))).toMatchObject({
    host: 'other-pod',
  })
  await lock.release()
  expect(fs.existsSync(path.join(dir, LOCK))).toBe(true)
})
