import { once } from 'node:events'
import net from 'node:net'
import { inClusterSecretReader, parseSecretName } from '../../../src/config/kube-secret'
import { decodeSecretBody } from '../../../src/config/kube-secret-body'
import { ConfigError } from '../../../src/errors'
import { Redactor } from '../../../src/secrets/redact'

const TOKEN = 'canary-sa-token-5b2e'
const SA_DIR = '/sa'
const SA_FILES: Record<string, string> = { '/sa/token': `${TOKEN}\n`, '/sa/ca.crt': 'not a pem' }

function readFile(contents: Record<string, string>) {
  return (p: string): Promise<string> => {
    const text = contents[p]
    if (text === undefined) return Promise.reject(Object.assign(new Error(p), { code: 'ENOENT' }))
    return Promise.resolve(text)
  }
}

async function issuesOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError')
  for (const issue of error.issues) expect(issue).not.toContain(TOKEN)
  return error.issues
}

describe('parseSecretName', () => {
  test.each([
    ['avp-config', { namespace: 'argocd', name: 'avp-config' }],
    ['tenant-a:avp.config', { namespace: 'tenant-a', name: 'avp.config' }],
  ])('%j', (value, secret) => {
    expect(parseSecretName(value)).toEqual({ ok: true, secret })
  })

  test.each([
    ['a:b:c', '--secret-name: "a:b:c" must be NAME or NAMESPACE:NAME'],
    [':name', '--secret-name: ":name" must be NAME or NAMESPACE:NAME'],
    ['ns:', '--secret-name: "ns:" must be NAME or NAMESPACE:NAME'],
    [
      'ns.x:name',
      '--secret-name: "ns.x:name" must be NAME or NAMESPACE:NAME: namespace "ns.x" is not a valid name',
    ],
    [
      '../x',
      '--secret-name: "../x" must be NAME or NAMESPACE:NAME: "../x" is not a valid Secret name',
    ],
    [
      'Upper',
      '--secret-name: "Upper" must be NAME or NAMESPACE:NAME: "Upper" is not a valid Secret name',
    ],
  ])('%j is rejected', (value, issue) => {
    expect(parseSecretName(value)).toEqual({ ok: false, failure: issue })
  })
})

describe('inClusterSecretReader before any request', () => {
  const secret = { namespace: 'argocd', name: 'avp' }

  test.each([
    [{}, 'KUBERNETES_SERVICE_HOST is not set'],
    [{ KUBERNETES_SERVICE_HOST: '127.0.0.1' }, 'KUBERNETES_SERVICE_PORT is not set'],
  ])('not in a pod: %j', async (env, what) => {
    const reader = inClusterSecretReader({
      env,
      readFile: readFile(SA_FILES),
      registerSecret: () => undefined,
    })
    expect(await issuesOf(reader.read(secret))).toEqual([
      `--secret-name: not running in a Kubernetes pod (${what})`,
    ])
  })

  test('missing service-account files are each named', async () => {
    const env = {
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: '1',
      AVP_SERVICE_ACCOUNT_DIR: '/none',
    }
    const reader = inClusterSecretReader({
      env,
      readFile: readFile(SA_FILES),
      registerSecret: () => undefined,
    })
    expect(await issuesOf(reader.read(secret))).toEqual([
      '--secret-name: cannot read /none/token: file not found',
      '--secret-name: cannot read /none/ca.crt: file not found',
    ])
  })

  test('the default service-account dir is the standard mount', async () => {
    const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '1' }
    const reader = inClusterSecretReader({
      env,
      readFile: readFile({}),
      registerSecret: () => undefined,
    })
    expect((await issuesOf(reader.read(secret)))[0]).toBe(
      '--secret-name: cannot read /var/run/secrets/kubernetes.io/serviceaccount/token: file not found',
    )
  })
})

describe('inClusterSecretReader network failures (loopback)', () => {
  const secret = { namespace: 'argocd', name: 'avp' }
  let silent: net.Server
  let silentPort: number
  let closedPort: number
  const sockets = new Set<net.Socket>()

  beforeAll(async () => {
    // A server that accepts connections and never answers: the TLS handshake hangs.
    silent = net.createServer((socket) => {
      sockets.add(socket)
      // Consume the ClientHello so the client's FIN is seen.
      socket.resume()
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as net.AddressInfo).port
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    closedPort = (probe.address() as net.AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
  })

  afterAll(async () => {
    // Every connection must have been closed by the reader's abort, within a second.
    const closed = Promise.all(
      [...sockets].filter((s) => !s.destroyed).map((s) => once(s, 'close')),
    ).then(() => 'closed')
    const late = new Promise((resolve) => setTimeout(resolve, 1000, 'still open').unref()).then(
      String,
    )
    expect(await Promise.race([closed, late])).toBe('closed')
    expect(sockets.size).toBe(2)
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => silent.close(resolve))
  })

  function reader(port: number, redactor = new Redactor()) {
    return inClusterSecretReader({
      env: {
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(port),
        AVP_SERVICE_ACCOUNT_DIR: SA_DIR,
      },
      readFile: readFile(SA_FILES),
      timeoutMs: 200,
      registerSecret: (value) => {
        redactor.add(value)
      },
    })
  }

  test('connection refused', async () => {
    const redactor = new Redactor()
    expect(await issuesOf(reader(closedPort, redactor).read(secret))).toEqual([
      `--secret-name: cannot connect to the Kubernetes API at 127.0.0.1:${String(closedPort)} (connection refused)`,
    ])
    expect(redactor.redact(`token ${TOKEN}`)).toBe('token ***')
  })

  test('timeout', async () => {
    const started = Date.now()
    expect(await issuesOf(reader(silentPort).read(secret))).toEqual([
      `--secret-name: the Kubernetes API at 127.0.0.1:${String(silentPort)} did not answer within 0.2 s`,
    ])
    expect(Date.now() - started).toBeLessThan(2000)
  })

  test('cancelled by the caller', async () => {
    const controller = new AbortController()
    const pending = reader(silentPort).read(secret, controller.signal)
    setTimeout(() => {
      controller.abort()
    }, 20)
    expect(await issuesOf(pending)).toEqual([
      '--secret-name: reading secret argocd/avp was cancelled',
    ])
  })
})

describe('decodeSecretBody', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  /** As http/json-request.ts hands a body over: parsed, or undefined when not JSON. */
  const parsed = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return undefined
    }
  }

  test('data is base64-decoded, stringData wins', () => {
    const body = parsed(
      JSON.stringify({
        kind: 'Secret',
        data: { AVP_TYPE: b64('vault'), VAULT_ADDR: b64('https://data'), EMPTY: '' },
        stringData: { VAULT_ADDR: 'https://string' },
      }),
    )
    expect([...decodeSecretBody(body, 'argocd/x')]).toEqual([
      ['AVP_TYPE', 'vault'],
      ['VAULT_ADDR', 'https://string'],
      ['EMPTY', ''],
    ])
  })

  test('a Secret without data is empty', () => {
    expect(decodeSecretBody(parsed('{"kind":"Secret"}'), 'argocd/x').size).toBe(0)
  })

  test.each([
    [
      'canary-not-json',
      ['--secret-name: the Kubernetes API answer for secret argocd/x is not JSON'],
    ],
    [
      '{"kind":"Status"}',
      ['--secret-name: the Kubernetes API did not answer with a Secret for argocd/x'],
    ],
    [
      '{"kind":"Secret","data":{"A":"canary-!!","B":5},"stringData":{"C":1}}',
      [
        '--secret-name: secret argocd/x: data key A is not valid base64',
        '--secret-name: secret argocd/x: data key B is not valid base64',
        '--secret-name: secret argocd/x: stringData key C is not a string',
      ],
    ],
    ['{"kind":"Secret","data":[]}', ['--secret-name: secret argocd/x: .data is not an object']],
  ])('%s', (body, issues) => {
    let caught: unknown
    try {
      decodeSecretBody(parsed(body), 'argocd/x')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as ConfigError).issues).toEqual(issues)
  })
})
