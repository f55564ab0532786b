import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { TLSSocket } from 'node:tls'
import { Faults, type BrokenKind } from './faults'
import { errors, type FakeResponse } from './http-types'
import { route } from './routes'
import { trimSlashes, type FakeVaultState } from './state'

/** One request as the fake saw it, for assertions ("one read per distinct secret", "namespace on every request"). */
export interface RequestRecord {
  readonly method: string
  /** Decoded path after `/v1/`, as sent (namespace path prefix included): `secret/data/app`. */
  readonly path: string
  /** The path after `/v1/` exactly as on the wire (still percent-encoded). */
  readonly rawPath: string
  readonly query: string
  /** `X-Vault-Namespace` as sent, or undefined. */
  readonly namespace: string | undefined
  readonly token: string | undefined
  readonly tokenVia: 'x-vault-token' | 'bearer' | undefined
  readonly clientCert: boolean
  status: number
}

export interface TlsOptions {
  readonly key: string
  readonly cert: string
  /** CA that signs client certificates (cert auth); client certs are requested but not required. */
  readonly clientCa?: string
}

/** The HTTP(S) side of the fake: parses, logs, injects faults, resolves namespaces, routes. */
export class FakeVaultServer {
  readonly requests: RequestRecord[] = []
  readonly faults = new Faults()
  /** Most requests handled at the same time so far (to check bounded concurrency). */
  maxInFlight = 0
  #inFlight = 0
  readonly #server: http.Server
  /** What listens: the HTTP server itself, or for TLS a sniffer in front of the HTTPS server. */
  readonly #listener: net.Server
  readonly #sockets = new Set<net.Socket>()
  readonly #timers = new Set<NodeJS.Timeout>()
  #address = ''

  constructor(
    private readonly state: FakeVaultState,
    private readonly tls?: TlsOptions,
  ) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) send(res, errors(500, 'fake vault failure'))
      })
    }
    this.#server = tls
      ? https.createServer(
          {
            key: tls.key,
            cert: tls.cert,
            requestCert: true,
            rejectUnauthorized: false,
            ...(tls.clientCa ? { ca: tls.clientCa } : {}),
          },
          handler,
        )
      : http.createServer(handler)
    this.#listener = tls
      ? net.createServer((socket) => {
          this.#sniff(socket)
        })
      : this.#server
  }

  get address(): string {
    return this.#address
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#listener.once('error', reject)
      this.#listener.listen(port, '127.0.0.1', () => {
        resolve()
      })
    })
    const { port: actual } = this.#listener.address() as AddressInfo
    this.#address = `${this.tls ? 'https' : 'http'}://127.0.0.1:${String(actual)}`
    return this.#address
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    this.#server.closeAllConnections()
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) =>
      this.#listener.close(() => {
        resolve()
      }),
    )
  }

  /**
   * A TLS port that receives plain HTTP answers as Go's net/http (Vault,
   * OpenBao) does: a bare 400 with a text body, then the connection closes.
   * Anything starting with a TLS handshake record (0x16) goes to the HTTPS server.
   */
  #sniff(socket: net.Socket): void {
    this.#sockets.add(socket)
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.once('data', (chunk: Buffer) => {
      socket.pause()
      socket.unshift(chunk)
      if (chunk[0] === 0x16) {
        this.#server.emit('connection', socket)
      } else {
        socket.end(
          'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n',
        )
      }
      process.nextTick(() => socket.resume())
    })
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.#inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight)
    res.on('close', () => {
      this.#inFlight -= 1
    })
    const text = await readBody(req)
    const url = new URL(req.url ?? '/', 'http://fake')
    if (!url.pathname.startsWith('/v1/')) {
      send(res, errors(404))
      return
    }
    const rawPath = url.pathname.slice('/v1/'.length)
    let path: string
    try {
      path = rawPath.split('/').map(decodeURIComponent).join('/')
    } catch {
      send(res, errors(400, 'invalid path encoding'))
      return
    }
    const auth = req.headers.authorization
    const xToken = header(req, 'x-vault-token')
    const bearer =
      typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined
    const tlsSocket = req.socket instanceof TLSSocket ? req.socket : undefined
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path,
      rawPath,
      query: url.search,
      namespace: header(req, 'x-vault-namespace'),
      token: xToken ?? bearer,
      tokenVia:
        xToken !== undefined ? 'x-vault-token' : bearer !== undefined ? 'bearer' : undefined,
      clientCert: tlsSocket !== undefined && Object.keys(tlsSocket.getPeerCertificate()).length > 0,
      status: 0,
    }
    this.requests.push(record)
    const effect = this.faults.apply(path)
    if (effect.delayMs > 0) await this.#sleep(effect.delayMs)
    if (effect.answer === 'reset') return void req.socket.destroy()
    const fault = effect.answer
    if (fault !== undefined && 'status' in fault) {
      record.status = fault.status
      send(res, fault)
      return
    }
    const answer = this.#route(record, url, text, tlsSocket)
    record.status = answer.status
    if (fault === undefined) send(res, answer)
    else sendBroken(res, answer, fault.broken)
  }

  #route(record: RequestRecord, url: URL, text: string, tls: TLSSocket | undefined): FakeResponse {
    let body: unknown
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {
      return errors(400, 'failed to parse JSON input')
    }
    // X-Vault-Namespace and a namespace path prefix combine (docs/design/vault-wire.md).
    const header = trimSlashes(record.namespace ?? '')
    if (header !== '' && !this.state.namespaces.has(header))
      return errors(404, 'namespace not found')
    const segments = record.path.split('/')
    const { namespace, taken } = this.state.descend(header, segments)
    const prefix = segments
      .slice(0, taken)
      .map((s) => `${s}/`)
      .join('')
    return route(this.state, {
      method: record.method,
      path: segments.slice(taken).join('/'),
      query: url.searchParams,
      namespace,
      pathPrefix: prefix,
      token: record.token,
      body,
      tls,
    })
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        resolve()
      }, ms)
      this.#timers.add(timer)
    })
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return typeof value === 'string' ? value : undefined
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (text += chunk))
    req.on('end', () => {
      resolve(text)
    })
    req.on('error', reject)
  })
}

/** The answer spoilt as `how` says (faults.ts). */
function sendBroken(res: http.ServerResponse, answer: FakeResponse, how: BrokenKind): void {
  const payload = Buffer.from(
    typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
  )
  const half = payload.subarray(0, Math.floor(payload.length / 2))
  if (how === 'malformed-json') {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(half)
    return
  }
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length + (how === 'truncated' ? 64 : 0)),
  })
  res.write(how === 'truncated' ? payload : half, () => {
    if (how === 'truncated') res.socket?.destroy()
    else res.socket?.resetAndDestroy()
  })
}

function send(res: http.ServerResponse, answer: FakeResponse): void {
  if (res.destroyed) return
  const isText = typeof answer.body === 'string'
  const payload = isText ? answer.body : JSON.stringify(answer.body)
  res.writeHead(answer.status, { 'Content-Type': isText ? 'text/html' : 'application/json' })
  res.end(payload)
}
