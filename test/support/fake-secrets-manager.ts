// A small Secrets Manager stand-in for the failures moto never produces
// (docs/design/aws-wire.md): AccessDenied, throttling, KMS decryption failures,
// 500s, malformed bodies and slow answers. It speaks the JSON 1.1 protocol
// (docs/design/aws-wire.md): POST /, `X-Amz-Target: secretsmanager.<Operation>`, errors as
// `{"__type": …, "message": …}`. Loopback only, port chosen by the OS.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Operation = 'GetSecretValue' | 'BatchGetSecretValue'

export type FaultKind =
  | 'AccessDeniedException'
  | 'ThrottlingException'
  | 'DecryptionFailure'
  | 'InternalServiceError'
  | 'malformed'
  | 'slow'
  /** A TCP reset before any answer. */
  | 'reset'
  /** Headers and half a 200 body, then a TCP reset. */
  | 'reset-mid-body'
  /** A 200 whose `Content-Length` is larger than the body sent, then the connection closes. */
  | 'truncated'
  /** A 503 `ServiceUnavailableException`. */
  | 'unavailable'
  /** A plain HTTP 429 (a proxy or quota in front of the endpoint). */
  | 'too-many-requests'

export interface Fault {
  readonly op: Operation
  readonly kind: FaultKind
  /** How many matching calls fail; then the fault is spent. Default: every call. */
  readonly times?: number
  /**
   * Only for this secret id. On BatchGetSecretValue a per-secret fault shows
   * up in the answer's `Errors` list instead of failing the call (docs/design/aws-wire.md).
   */
  readonly secretId?: string
  /** For `slow`: how long to wait before answering. */
  readonly delayMs?: number
}

export interface FakeSecret {
  readonly string?: string
  readonly binary?: Buffer
}

/** Error messages carry a canary: a test asserts the plugin never prints a server's message. */
export const FAKE_MESSAGE_CANARY = 'canary-server-message-7f3a'

export interface FakeSecretsManager {
  readonly endpoint: string
  readonly region: string
  /** Calls received per operation, including failed ones. */
  calls(op: Operation): number
  /** Every HTTP request received, whatever it asked, since start or `reset`. */
  requests(): number
  /** The `SecretIdList` length of every BatchGetSecretValue call, in order. */
  readonly batchSizes: number[]
  put(name: string, secret: FakeSecret): string
  fault(fault: Fault): void
  reset(): void
  close(): Promise<void>
}

const ACCOUNT = '123456789012'

export async function startFakeSecretsManager(region = 'us-east-1'): Promise<FakeSecretsManager> {
  const secrets = new Map<string, FakeSecret & { arn: string }>()
  const faults: { fault: Fault; left: number }[] = []
  const counts = new Map<Operation, number>()
  const batchSizes: number[] = []
  const timers = new Set<NodeJS.Timeout>()

  const find = (id: string) =>
    secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id || s.arn.startsWith(`${id}-`))

  /** The first live fault for this call, consumed once. */
  const take = (op: Operation, secretId: string | undefined) => {
    const hit = faults.find((f) => f.left > 0 && f.fault.op === op && f.fault.secretId === secretId)
    if (hit === undefined) return undefined
    hit.left -= 1
    return hit.fault
  }

  const handle = (op: Operation, body: Record<string, unknown>, res: http.ServerResponse) => {
    const fault = take(op, undefined)
    if (fault !== undefined && fault.kind !== 'slow') {
      sendFault(res, fault.kind)
      return
    }
    const answer = () => {
      if (op === 'GetSecretValue') getSecretValue(body, res)
      else batchGetSecretValue(body, res)
    }
    if (fault?.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!res.destroyed) answer()
      }, fault.delayMs ?? 60_000)
      timers.add(timer)
    } else {
      answer()
    }
  }

  const getSecretValue = (body: Record<string, unknown>, res: http.ServerResponse) => {
    const id = String(body['SecretId'])
    const perSecret = take('GetSecretValue', id)
    if (perSecret !== undefined) {
      sendFault(res, perSecret.kind)
      return
    }
    const secret = find(id)
    if (secret === undefined) {
      sendError(res, 400, 'ResourceNotFoundException')
      return
    }
    sendJson(res, 200, entry(id, secret))
  }

  const batchGetSecretValue = (body: Record<string, unknown>, res: http.ServerResponse) => {
    const ids = Array.isArray(body['SecretIdList']) ? body['SecretIdList'].map(String) : []
    batchSizes.push(ids.length)
    if (ids.length > 20) {
      sendError(res, 400, 'ValidationException')
      return
    }
    const values: unknown[] = []
    const errors: unknown[] = []
    for (const id of ids) {
      const perSecret = take('BatchGetSecretValue', id)
      const secret = find(id)
      if (perSecret !== undefined || secret === undefined) {
        const code = perSecret?.kind ?? 'ResourceNotFoundException'
        errors.push({ SecretId: id, ErrorCode: code, Message: `${code}: ${FAKE_MESSAGE_CANARY}` })
      } else {
        values.push(entry(id, secret))
      }
    }
    sendJson(res, 200, { SecretValues: values, Errors: errors })
  }

  const entry = (id: string, secret: FakeSecret & { arn: string }) => ({
    ARN: secret.arn,
    Name: secret.arn.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '') || id,
    VersionId: '11111111-2222-3333-4444-555555555555',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1.7e9,
    ...(secret.string === undefined ? {} : { SecretString: secret.string }),
    ...(secret.binary === undefined ? {} : { SecretBinary: secret.binary.toString('base64') }),
  })

  let requests = 0
  const server = http.createServer((req, res) => {
    requests += 1
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '')
      const op = target.replace(/^secretsmanager\./, '')
      if (op !== 'GetSecretValue' && op !== 'BatchGetSecretValue') {
        sendError(res, 400, 'UnknownOperationException')
        return
      }
      counts.set(op, (counts.get(op) ?? 0) + 1)
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      } catch {
        sendError(res, 400, 'SerializationException')
        return
      }
      handle(op, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    region,
    calls: (op) => counts.get(op) ?? 0,
    requests: () => requests,
    batchSizes,
    put(name, secret) {
      const arn = `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`
      secrets.set(name, { ...secret, arn })
      return arn
    },
    fault(fault) {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY })
    },
    reset() {
      secrets.clear()
      faults.length = 0
      counts.clear()
      requests = 0
      batchSizes.length = 0
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

function sendFault(res: http.ServerResponse, kind: FaultKind): void {
  if (kind === 'reset') {
    res.socket?.resetAndDestroy()
  } else if (kind === 'reset-mid-body' || kind === 'truncated') {
    const body = Buffer.from(
      JSON.stringify({ Name: 'spoilt', SecretString: FAKE_MESSAGE_CANARY, VersionId: 'v1' }),
    )
    const sent = kind === 'truncated' ? body : body.subarray(0, Math.floor(body.length / 2))
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(body.length + (kind === 'truncated' ? 64 : 0)),
    })
    res.write(sent, () => {
      if (kind === 'truncated') res.socket?.destroy()
      else res.socket?.resetAndDestroy()
    })
  } else if (kind === 'unavailable') {
    sendError(res, 503, 'ServiceUnavailableException')
  } else if (kind === 'too-many-requests') {
    res.writeHead(429, { 'content-type': 'text/plain' })
    res.end(`Too Many Requests ${FAKE_MESSAGE_CANARY}`)
  } else if (kind === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
    res.end(`<html>not json ${FAKE_MESSAGE_CANARY}</html>`)
  } else if (kind === 'InternalServiceError' || kind === 'slow') {
    sendError(res, 500, 'InternalServiceError')
  } else {
    sendError(res, 400, kind)
  }
}

/** A JSON-protocol error with a namespace-prefixed `__type` (docs/design/aws-wire.md: the SDK normalises it). */
function sendError(res: http.ServerResponse, status: number, code: string): void {
  res.setHeader('x-amzn-errortype', code)
  res.setHeader('x-amzn-requestid', 'fake-request-0001')
  sendJson(res, status, {
    __type: `com.amazonaws.secretsmanager#${code}`,
    message: `${code}: ${FAKE_MESSAGE_CANARY}`,
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  res.end(JSON.stringify(body))
}
