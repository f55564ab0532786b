import { errors, type FakeResponse } from './http-types'

/**
 * Switchable failures (docs/design/vault-wire.md): `sealed` (503 `Vault is sealed`),
 * `rate-limit` (429 quota message), `error-500`, `bad-gateway` (a proxy's
 * non-JSON 502), `latency` (delays the answer by `ms`) and `reset` (drops
 * the connection before answering). Three spoil the real answer instead:
 * `reset-mid-body` (headers and half the body, then a TCP reset), `truncated`
 * (a `Content-Length` larger than the body sent, then the connection closes)
 * and `malformed-json` (a 200 whose JSON body breaks off). A fault applies to
 * requests whose decoded path starts with `path` (all when unset), `times`
 * times (forever when unset).
 */
export interface Fault {
  readonly kind:
    'sealed' | 'rate-limit' | 'error-500' | 'bad-gateway' | 'latency' | 'reset' | BrokenKind
  readonly path?: string
  readonly times?: number
  readonly ms?: number
}

/** Faults that spoil the answer the server would have given. */
export type BrokenKind = 'reset-mid-body' | 'truncated' | 'malformed-json'

interface ActiveFault extends Fault {
  left: number
}

/** What the faults do to one request. */
export interface FaultEffect {
  readonly delayMs: number
  readonly answer?: FakeResponse | 'reset' | { readonly broken: BrokenKind }
}

export class Faults {
  #active: ActiveFault[] = []

  add(fault: Fault): void {
    this.#active.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY })
  }

  clear(): void {
    this.#active = []
  }

  /** Applies (and uses up) the faults matching `path`: every latency adds up, the first other fault answers. */
  apply(path: string): FaultEffect {
    let delayMs = 0
    let answer: FaultEffect['answer']
    for (const fault of this.#active) {
      if (fault.left <= 0 || (fault.path !== undefined && !path.startsWith(fault.path))) continue
      if (fault.kind === 'latency') {
        delayMs += fault.ms ?? 0
        fault.left -= 1
      } else if (answer === undefined) {
        answer = respond(fault.kind, path)
        fault.left -= 1
      }
    }
    this.#active = this.#active.filter((f) => f.left > 0)
    return answer === undefined ? { delayMs } : { delayMs, answer }
  }
}

function respond(kind: Exclude<Fault['kind'], 'latency'>, path: string): FaultEffect['answer'] {
  switch (kind) {
    case 'reset-mid-body':
    case 'truncated':
    case 'malformed-json':
      return { broken: kind }
    case 'sealed':
      return errors(503, 'Vault is sealed')
    case 'rate-limit':
      return errors(429, `request path "${path}": rate limit quota exceeded`)
    case 'error-500':
      return errors(500, 'internal error')
    case 'bad-gateway':
      return { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }
    case 'reset':
      return 'reset'
  }
}
