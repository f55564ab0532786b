// A loopback stand-in for the Kubernetes API server, enough for
// `--secret-name` and the `kubernetessecret` backend:
// GET /api/v1/namespaces/<ns>/secrets/<name> over HTTPS with a bearer token,
// answering Kubernetes-shaped Secret and Status objects, with injectable
// 403/429/5xx answers, a delay, and a count of GETs per Secret.
// For `refresh` it also serves Argo CD Applications (paged list, get, JSON
// merge patch with a log of every patch), any other object by its API path
// (whole, or metadata only when asked for PartialObjectMetadata), API
// discovery for the kinds added, and denials by method and path.
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
  readonly accept: string | undefined
}

/** One merge patch the fake applied. */
export interface RecordedPatch {
  readonly namespace: string
  readonly name: string
  readonly contentType: string | undefined
  readonly patch: unknown
}

/** A kind served through API discovery (`/apis/<group>/<version>`). */
export interface ApiResource {
  readonly group: string
  readonly version: string
  readonly kind: string
  readonly plural: string
  readonly namespaced: boolean
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
  /** Stores (or replaces) an Argo CD Application; `metadata.name` names it. */
  setApplication(namespace: string, app: Readonly<Record<string, unknown>>): void
  /** The Application as stored now (after any patches). */
  application(namespace: string, name: string): Record<string, unknown> | undefined
  /** Every merge patch applied to an Application, in order. */
  readonly patches: RecordedPatch[]
  /** Stores any object, served at `apiPath` (`/apis/apps/v1/namespaces/x/deployments/y`). */
  setObject(apiPath: string, object: Readonly<Record<string, unknown>>): void
  /** Serves a kind in API discovery. */
  addApiResource(resource: ApiResource): void
  /** Requests with `method` whose path starts with `pathPrefix` answer 403. */
  deny(method: string, pathPrefix: string): void
  /** Requests received with this method and path (query left out). */
  countPath(method: string, path: string): number
  /** Forgets faults, denials, delays, recorded requests and patches; keeps the stored objects. */
  reset(): void
  close(): Promise<void>
}

const SECRET_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/
const APPS_PATH =
  /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications(?:\/([^/]+))?$/

/** RFC 7386 JSON merge patch: null deletes, objects merge, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const out = new Map<string, unknown>(
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? Object.entries(target as Record<string, unknown>)
      : [],
  )
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) out.delete(key)
    else out.set(key, mergePatch(out.get(key), value))
  }
  return Object.fromEntries(out)
}

/** Starts the fake on 127.0.0.1 on a free port. Requests must carry `Bearer <token>`. */
export async function startFakeKubeApi(pki: TestPki, token: string): Promise<FakeKubeApi> {
  const secrets = new Map<string, Record<string, string>>()
  const forbidden = new Set<string>()
  const faults = new Map<string, { status: number; times: number }>()
  const requests: RecordedKubeRequest[] = []
  const applications = new Map<string, Record<string, unknown>>()
  const objects = new Map<string, Record<string, unknown>>()
  const apiResources: ApiResource[] = []
  const denials: { method: string; prefix: string }[] = []
  const patches: RecordedPatch[] = []
  let delayMs = 0
  const held = new Set<NodeJS.Timeout>()
  const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      bodies.set(req, Buffer.concat(chunks).toString('utf8'))
      respond(req, res)
    })
  })
  const bodies = new WeakMap<http.IncomingMessage, string>()
  const respond = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        held.delete(timer)
        answer(req, res)
      }, delayMs)
      held.add(timer)
    } else {
      answer(req, res)
    }
  }
  const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      accept: req.headers.accept,
    })
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
    }
    const url = new URL(req.url ?? '', 'https://fake')
    const method = req.method ?? ''
    const match = SECRET_PATH.exec(req.url ?? '')
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'))
    } else if (denials.some((d) => d.method === method && url.pathname.startsWith(d.prefix))) {
      send(403, status(403, 'Forbidden', `canary-server-message ${method} ${url.pathname}`))
    } else if (match === null || method !== 'GET' || objects.has(url.pathname)) {
      const routed = routeRefresh(method, url, req.headers, bodies.get(req) ?? '')
      if (routed === undefined) {
        send(404, status(404, 'NotFound', 'the server could not find the requested resource'))
      } else {
        send(routed.status, routed.body)
      }
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
  /** Applications, other objects and discovery; undefined for a path the fake does not serve. */
  const routeRefresh = (
    method: string,
    url: URL,
    headers: http.IncomingHttpHeaders,
    body: string,
  ): { status: number; body: unknown } | undefined => {
    const apps = APPS_PATH.exec(url.pathname)
    if (apps !== null) {
      const ns = decodeURIComponent(apps[1] ?? '')
      const name = apps[2] === undefined ? undefined : decodeURIComponent(apps[2])
      if (name === undefined) {
        return method === 'GET' ? { status: 200, body: listPage(ns, url) } : undefined
      }
      const key = `${ns}/${name}`
      const app = applications.get(key)
      if (app === undefined) {
        return { status: 404, body: status(404, 'NotFound', `applications "${name}" not found`) }
      }
      if (method === 'GET') return { status: 200, body: app }
      if (method !== 'PATCH') return undefined
      const contentType = headers['content-type']
      if (contentType !== 'application/merge-patch+json') {
        return { status: 415, body: status(415, 'UnsupportedMediaType', 'unsupported patch') }
      }
      const patch = JSON.parse(body) as unknown
      patches.push({ namespace: ns, name, contentType, patch })
      const merged = mergePatch(app, patch) as Record<string, unknown>
      applications.set(key, merged)
      return { status: 200, body: merged }
    }
    if (method !== 'GET') return undefined
    const object = objects.get(url.pathname)
    if (object !== undefined) {
      const partial = (headers.accept ?? '').includes('as=PartialObjectMetadata')
      return {
        status: 200,
        body: partial
          ? {
              kind: 'PartialObjectMetadata',
              apiVersion: 'meta.k8s.io/v1',
              metadata: object['metadata'],
            }
          : object,
      }
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(url.pathname)
    if (discovery !== null) {
      const group = discovery[2] ?? ''
      const version = discovery[1] ?? discovery[3] ?? ''
      const served = apiResources.filter((r) => r.group === group && r.version === version)
      if (served.length === 0 && group !== '') return undefined
      return {
        status: 200,
        body: {
          kind: 'APIResourceList',
          groupVersion: group === '' ? version : `${group}/${version}`,
          resources: served.map((r) => ({
            name: r.plural,
            singularName: '',
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: ['get', 'list'],
          })),
        },
      }
    }
    const found =
      /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)\/(?:namespaces\/[^/]+\/)?([^/]+)\/([^/]+)$/.exec(
        url.pathname,
      )
    if (found !== null) {
      return {
        status: 404,
        body: status(404, 'NotFound', `${found[1] ?? ''} "${found[2] ?? ''}" not found`),
      }
    }
    return undefined
  }

  /** One page of the Applications of `ns`, `limit` at a time, continued by an index token. */
  const listPage = (ns: string, url: URL) => {
    const all = [...applications]
      .filter(([key]) => key.startsWith(`${ns}/`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, app]) => app)
    const limit = Number(url.searchParams.get('limit') ?? '0') || all.length
    const start = Number(url.searchParams.get('continue') ?? '0')
    const items = all.slice(start, start + limit)
    const next = start + limit < all.length ? String(start + limit) : undefined
    return {
      kind: 'ApplicationList',
      apiVersion: 'argoproj.io/v1alpha1',
      metadata: { resourceVersion: '1', ...(next === undefined ? {} : { continue: next }) },
      items,
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
    setApplication: (ns, app) => {
      const name = (app['metadata'] as { name?: unknown } | undefined)?.name
      if (typeof name !== 'string')
        throw new Error('fake kube api: an Application needs metadata.name')
      applications.set(`${ns}/${name}`, structuredClone(app))
    },
    application: (ns, name) => applications.get(`${ns}/${name}`),
    patches,
    setObject: (apiPath, object) => objects.set(apiPath, structuredClone(object)),
    addApiResource: (resource) => apiResources.push(resource),
    deny: (method, prefix) => denials.push({ method, prefix }),
    countPath: (method, path) =>
      requests.filter((r) => r.method === method && r.path.split('?')[0] === path).length,
    reset: () => {
      for (const timer of held) clearTimeout(timer)
      held.clear()
      faults.clear()
      denials.length = 0
      delayMs = 0
      requests.length = 0
      patches.length = 0
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

/** A fake API server as a pod sees it: the server, the service-account directory, and the env naming both. */
export interface InClusterFake {
  readonly api: FakeKubeApi
  readonly saDir: string
  /** `KUBERNETES_SERVICE_HOST/PORT` and `AVP_SERVICE_ACCOUNT_DIR`, for the CLI's environment. */
  readonly env: Readonly<Record<string, string>>
}

/**
 * Starts the fake with a CA made by openssl under `root`, and writes the
 * service-account directory the kubelet would mount (`token`, `ca.crt`).
 */
export async function startInClusterFake(root: string, token: string): Promise<InClusterFake> {
  const pki = generateTestPki(path.join(root, 'pki'), 'kube')
  const api = await startFakeKubeApi(pki, token)
  const saDir = path.join(root, 'sa')
  fs.mkdirSync(saDir)
  fs.writeFileSync(path.join(saDir, 'token'), `${token}\n`)
  fs.writeFileSync(path.join(saDir, 'ca.crt'), pki.caCert)
  return {
    api,
    saDir,
    env: {
      KUBERNETES_SERVICE_HOST: api.host,
      KUBERNETES_SERVICE_PORT: String(api.port),
      AVP_SERVICE_ACCOUNT_DIR: saDir,
    },
  }
}
