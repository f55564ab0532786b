// A loopback stand-in for GCP Secret Manager as the client library's REST
// transport (`fallback: true`) sees it: `GET /v1/projects/*/secrets/*/versions/*:access`
// with a bearer token, errors as `{"error": {"code", "message", "status"}}`
// (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access,
// https://cloud.google.com/apis/design/errors#http_mapping). It also plays the
// GKE metadata server that Workload Identity gets its access token from
// (`GCE_METADATA_HOST`), and accepts self-signed service-account JWTs signed by
// a key the test made. Port chosen by the OS, 127.0.0.1 only.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** Error messages carry a canary: the plugin must never print a server's message. */
export const GCP_MESSAGE_CANARY = 'canary-gcp-server-message-51c2'

export type GcpFaultKind =
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'malformed'
  | 'slow'

export interface GcpFault {
  readonly kind: GcpFaultKind
  /** Only for this secret (`projects/p/secrets/s`); default: every secret. */
  readonly secret?: string
  /** How many calls fail; then the fault is spent. Default: every call. */
  readonly times?: number
  readonly delayMs?: number
}

type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED'

export interface FakeGcpSecretManager {
  /** `http://127.0.0.1:<port>`: both the API and the metadata server. */
  readonly endpoint: string
  /** `127.0.0.1:<port>` for `GCE_METADATA_HOST`. */
  readonly metadataHost: string
  /** The access token the metadata server hands out; the API accepts only it (or a valid JWT). */
  readonly accessToken: string
  /** Adds a version to `projects/<p>/secrets/<s>`; returns its number. */
  addVersion(secret: string, data: string | Buffer, state?: VersionState): number
  /** Trusts JWTs signed by this service-account key (PEM public key). */
  trustServiceAccount(email: string, publicKeyPem: string): void
  fault(fault: GcpFault): void
  /** `:access` calls per `projects/p/secrets/s/versions/v` as requested, failed ones included. */
  accessCalls(): ReadonlyMap<string, number>
  totalAccessCalls(): number
  tokenCalls(): number
  /** Authorization headers that were refused. */
  refusedAuth(): number
  reset(): void
  close(): Promise<void>
}

const PROJECT_NUMBER = '123456789012'
// The project part may hold a regional secret's `/locations/<location>`.
const ACCESS_PATH =
  /^\/v1\/projects\/([^/]+(?:\/locations\/[^/]+)?)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/

export async function startFakeGcpSecretManager(): Promise<FakeGcpSecretManager> {
  const secrets = new Map<string, { data: Buffer; state: VersionState }[]>()
  const faults: { fault: GcpFault; left: number }[] = []
  const calls = new Map<string, number>()
  const trusted = new Map<string, KeyObject>()
  const timers = new Set<NodeJS.Timeout>()
  const accessToken = `ya29.canary-gcp-access-token-${String(process.pid)}`
  let tokens = 0
  let refused = 0

  const takeFault = (secret: string): GcpFault | undefined => {
    const hit = faults.find(
      (f) => f.left > 0 && (f.fault.secret === undefined || f.fault.secret === secret),
    )
    if (hit === undefined) return undefined
    hit.left -= 1
    return hit.fault
  }

  const authorized = (header: string | undefined): boolean => {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1]
    if (token === undefined) return false
    return token === accessToken || validJwt(token, trusted)
  }

  const access = (res: http.ServerResponse, project: string, id: string, version: string) => {
    const secret = `projects/${project}/secrets/${id}`
    const versions = secrets.get(secret)
    const index = version === 'latest' ? (versions?.length ?? 0) : Number(version)
    const found = Number.isInteger(index) && index >= 1 ? versions?.[index - 1] : undefined
    const name = `projects/${PROJECT_NUMBER}/secrets/${id}/versions/${String(index)}`
    if (versions === undefined || found === undefined) {
      const what =
        versions === undefined
          ? `Secret [projects/${PROJECT_NUMBER}/secrets/${id}] not found or has no versions.`
          : `Secret Version [${name}] not found.`
      sendError(res, 404, 'NOT_FOUND', what)
    } else if (found.state !== 'ENABLED') {
      sendError(
        res,
        400,
        'FAILED_PRECONDITION',
        `Secret Version [${name}] is in ${found.state} state.`,
      )
    } else {
      sendJson(res, 200, { name, payload: { data: found.data.toString('base64') } })
    }
  }

  const api = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const match = ACCESS_PATH.exec(url.pathname)
    if (req.method !== 'GET' || match === null) {
      sendError(res, 404, 'NOT_FOUND', `no such method ${url.pathname}`)
      return
    }
    const [, project = '', id = '', version = ''] = match.map(decodeURIComponent)
    const secret = `projects/${project}/secrets/${id}`
    const key = `${secret}/versions/${version}`
    calls.set(key, (calls.get(key) ?? 0) + 1)
    if (!authorized(req.headers.authorization)) {
      refused += 1
      sendError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')
      return
    }
    const fault = takeFault(secret)
    if (fault === undefined) {
      access(res, project, id, version)
    } else if (fault.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!res.destroyed) access(res, project, id, version)
      }, fault.delayMs ?? 60_000)
      timers.add(timer)
    } else {
      sendFault(res, fault.kind, key)
    }
  }

  const metadata = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    if (req.headers['metadata-flavor'] !== 'Google') {
      res.writeHead(403).end()
      return
    }
    res.setHeader('Metadata-Flavor', 'Google')
    if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token') {
      tokens += 1
      sendJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' })
    } else if (url.pathname.startsWith('/computeMetadata/v1/')) {
      res.writeHead(200, { 'content-type': 'application/text' }).end('')
    } else {
      res.writeHead(404).end()
    }
  }

  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname.startsWith('/computeMetadata/')) metadata(req, res, url)
      else api(req, res, url)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    metadataHost: `127.0.0.1:${String(port)}`,
    accessToken,
    addVersion(secret, data, state = 'ENABLED') {
      const versions = secrets.get(secret) ?? []
      versions.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), state })
      secrets.set(secret, versions)
      return versions.length
    },
    trustServiceAccount(email, publicKeyPem) {
      trusted.set(email, createPublicKey(publicKeyPem))
    },
    fault(fault) {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY })
    },
    accessCalls: () => new Map(calls),
    totalAccessCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    tokenCalls: () => tokens,
    refusedAuth: () => refused,
    reset() {
      secrets.clear()
      faults.length = 0
      calls.clear()
      tokens = 0
      refused = 0
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      return new Promise((resolve) =>
        server.close(() => {
          resolve()
        }),
      )
    },
  }
}

/** An RS256 JWT whose issuer is a trusted service account and whose signature checks out. */
function validJwt(token: string, trusted: ReadonlyMap<string, KeyObject>): boolean {
  const [header, body, signature] = token.split('.')
  if (header === undefined || body === undefined || signature === undefined) return false
  let claims: { iss?: unknown; exp?: unknown }
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims
  } catch {
    return false
  }
  const key = typeof claims.iss === 'string' ? trusted.get(claims.iss) : undefined
  if (key === undefined || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
    return false
  }
  return verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${body}`),
    key,
    Buffer.from(signature, 'base64url'),
  )
}

const HTTP_STATUS: Record<Exclude<GcpFaultKind, 'malformed' | 'slow'>, number> = {
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
}

function sendFault(res: http.ServerResponse, kind: GcpFaultKind, name: string): void {
  if (kind === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(`<html>not json ${GCP_MESSAGE_CANARY}</html>`)
  } else if (kind === 'slow') {
    sendError(res, 503, 'UNAVAILABLE', 'slow')
  } else {
    const message =
      kind === 'PERMISSION_DENIED'
        ? `Permission 'secretmanager.versions.access' denied for resource '${name}' (or it may not exist).`
        : `${kind} for ${name}`
    sendError(res, HTTP_STATUS[kind], kind, message)
  }
}

function sendError(res: http.ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message: `${message} ${GCP_MESSAGE_CANARY}`, status } })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
  res.end(JSON.stringify(body))
}

/**
 * The CLI's environment for the fake: Workload Identity through the fake
 * metadata server, the API endpoint pointed explicitly at loopback, and a
 * HOME without a gcloud credentials file.
 */
export function gcpEnv(
  fake: FakeGcpSecretManager,
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string | undefined> {
  return {
    AVP_TYPE: 'gcpsecretmanager',
    AVP_GCP_ENDPOINT: fake.endpoint,
    GCE_METADATA_HOST: fake.metadataHost,
    HOME: '/nonexistent-home',
    ...extra,
  }
}
