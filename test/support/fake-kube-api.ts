// A loopback stand-in for the Kubernetes API server, enough for
// `--secret-name` and the `kubernetessecret` backend:
// GET /api/v1/namespaces/<ns>/secrets/<name> over HTTPS with a bearer token,
// answering Kubernetes-shaped Secret and Status objects, with injectable
// 403/429/5xx answers, a delay, and a count of GETs per Secret.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import type http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

/** PEM files of a throwaway CA and a server certificate for 127.0.0.1 signed by it. */
export interface TestPki {
  readonly dir: string
  readonly caCert: string
  readonly serverCert: string
  readonly serverKey: string
}

/**
 * Generates a CA and a server certificate (SAN IP:127.0.0.1, DNS:localhost)
 * with the `openssl` CLI into `dir`. Integration tests only: it spawns openssl.
 */
export function generateTestPki(dir: string, name = 'test'): TestPki {
  fs.mkdirSync(dir, { recursive: true })
  const file = (f: string) => path.join(dir, `${name}-${f}`)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  openssl(
    ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt')].concat(
      ['-days', '1', '-subj', `/CN=${name}-ca`],
      ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
    ),
  )
  openssl([
    'req',
    ...ec,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=kubernetes',
  ])
  fs.writeFileSync(
    file('ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  )
  openssl(
    [
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
    ].concat([
      '-CAcreateserial',
      '-out',
      file('server.crt'),
      '-days',
      '1',
      '-extfile',
      file('ext.cnf'),
    ]),
  )
  const read = (f: string) => fs.readFileSync(file(f), 'utf8')
  return {
    dir,
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
  }
}

export interface RecordedKubeRequest {
  readonly method: string
  readonly path: string
  readonly authorization: string | undefined
}

export interface FakeKubeApi {
  readonly host: string
  readonly port: number
  /** Every request received, in order. */
  readonly requests: RecordedKubeRequest[]
  /** Stores a Secret; `data` values are given in plain text and served base64-encoded. */
  setSecret(namespace: string, name: string, data: Readonly<Record<string, string>>): void
  /** The service account may not `get` this Secret: 403 Forbidden. */
  forbid(namespace: string, name: string): void
  /**
   * The next `times` GETs of this Secret (every GET without `times`) answer
   * `status` (429 with `Retry-After: 0`, or a 5xx) instead.
   */
  fault(namespace: string, name: string, status: number, times?: number): void
  /** Holds every answer back by `ms` (for deadline tests). */
  delay(ms: number): void
  /** GETs received for this Secret. */
  count(namespace: string, name: string): number
  /** Forgets faults, delays and recorded requests; keeps the Secrets. */
  reset(): void
  close(): Promise<void>
}

const SECRET_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/

/** Starts the fake on 127.0.0.1 on a free port. Requests must carry `Bearer <token>`. */
export async function startFakeKubeApi(pki: TestPki, token: string): Promise<FakeKubeApi> {
  const secrets = new Map<string, Record<string, string>>()
  const forbidden = new Set<string>()
  const faults = new Map<string, { status: number; times: number }>()
  const requests: RecordedKubeRequest[] = []
  let delayMs = 0
  const held = new Set<NodeJS.Timeout>()
  const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => {
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        held.delete(timer)
        answer(req, res)
      }, delayMs)
      held.add(timer)
    } else {
      answer(req, res)
    }
  })
  const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    })
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
    }
    const match = SECRET_PATH.exec(req.url ?? '')
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'))
    } else if (req.method !== 'GET' || match === null) {
      send(404, status(404, 'NotFound', 'the server could not find the requested resource'))
    } else {
      const [ns, name] = [decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? '')]
      const key = `${ns}/${name}`
      const data = secrets.get(key)
      const fault = faults.get(key)
      if (fault !== undefined && fault.times > 0) {
        fault.times -= 1
        const reason = fault.status === 429 ? 'TooManyRequests' : 'InternalError'
        res.setHeader('Retry-After', '0')
        send(fault.status, status(fault.status, reason, 'canary-server-message', name))
      } else if (forbidden.has(key)) {
        const who = 'User "system:serviceaccount:argocd:argocd-repo-server"'
        send(
          403,
          status(
            403,
            'Forbidden',
            `secrets "${name}" is forbidden: ${who} cannot get resource "secrets" in API group "" in the namespace "${ns}"`,
            name,
          ),
        )
      } else if (data === undefined) {
        send(404, status(404, 'NotFound', `secrets "${name}" not found`, name))
      } else {
        send(200, secretObject(ns, name, data))
      }
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    requests,
    setSecret: (ns, name, data) => secrets.set(`${ns}/${name}`, { ...data }),
    forbid: (ns, name) => forbidden.add(`${ns}/${name}`),
    fault: (ns, name, code, times = Number.POSITIVE_INFINITY) =>
      faults.set(`${ns}/${name}`, { status: code, times }),
    delay: (ms) => {
      delayMs = ms
    },
    count: (ns, name) =>
      requests.filter((r) => r.path === `/api/v1/namespaces/${ns}/secrets/${name}`).length,
    reset: () => {
      for (const timer of held) clearTimeout(timer)
      held.clear()
      faults.clear()
      delayMs = 0
      requests.length = 0
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of held) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

/** A `metav1.Status` failure object, as the API server sends with 4xx answers. */
function status(code: number, reason: string, message: string, name?: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(name === undefined ? {} : { details: { name, kind: 'secrets' } }),
    code,
  }
}

function secretObject(namespace: string, name: string, data: Readonly<Record<string, string>>) {
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace,
      uid: '00000000-0000-0000-0000-000000000001',
      resourceVersion: '1',
    },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
  }
}
