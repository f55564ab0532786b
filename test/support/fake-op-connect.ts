// A loopback stand-in for a 1Password Connect server, answering the three
// GETs the `1passwordconnect` backend makes as Connect does on the wire
// (https://developer.1password.com/docs/connect/connect-api-reference/):
//   GET /v1/vaults?filter=name eq "<name>"
//   GET /v1/vaults/<vault id>/items?filter=title eq "<title>"
//   GET /v1/vaults/<vault id>/items/<item id>
// with bearer auth and Connect's `{"status", "message"}` error bodies, plus
// injectable 403/429/5xx answers, a delay, and a record of every request.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** Put into every injected error body: a test asserts it never reaches stderr. */
export const CONNECT_MESSAGE_CANARY = 'canary-connect-message'

export interface FakeConnect {
  /** `http://127.0.0.1:<port>`, for OP_CONNECT_HOST. */
  readonly endpoint: string
  /** Every request's path and query, decoded, in order. */
  readonly requests: string[]
  /** Adds a vault; returns its 26-character id. */
  addVault(name: string): string
  /** Adds an item with `fields` as [label, value] pairs (a label may repeat); returns its id. */
  addItem(vaultId: string, title: string, fields: readonly (readonly [string, string])[]): string
  /** Requests whose decoded path starts with `prefix` answer `status` (`times` times, else always). */
  fault(prefix: string, status: number, times?: number): void
  delay(ms: number): void
  reset(): void
  close(): Promise<void>
}

interface Item {
  readonly id: string
  readonly title: string
  readonly vaultId: string
  readonly fields: readonly (readonly [string, string])[]
}

const VAULTS = /^\/v1\/vaults$/
const ITEMS = /^\/v1\/vaults\/([^/]+)\/items$/
const ITEM = /^\/v1\/vaults\/([^/]+)\/items\/([^/]+)$/
const FILTER = /^(name|title) eq "((?:[^"\\]|\\.)*)"$/

export async function startFakeConnect(token: string): Promise<FakeConnect> {
  const vaults = new Map<string, string>()
  const items: Item[] = []
  const faults: { prefix: string; status: number; times: number }[] = []
  const requests: string[] = []
  const held = new Set<NodeJS.Timeout>()
  let delayMs = 0
  let ids = 0
  const newId = (kind: string) => `${kind}${String(++ids).padStart(26 - kind.length, '0')}`

  const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = decodeURIComponent(url.pathname)
    requests.push(
      `${path}${url.search === '' ? '' : `?${decodeURIComponent(url.search.slice(1))}`}`,
    )
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
    }
    const error = (status: number, message: string) => {
      send(status, { status, message })
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      error(401, 'Invalid bearer token')
      return
    }
    const fault = faults.find((f) => f.times > 0 && path.startsWith(f.prefix))
    if (fault !== undefined) {
      fault.times -= 1
      if (fault.status === 429) res.setHeader('Retry-After', '0')
      error(fault.status, CONNECT_MESSAGE_CANARY)
      return
    }
    const filter = FILTER.exec(url.searchParams.get('filter') ?? '')
    const wanted = filter?.[2]?.replace(/\\(.)/g, '$1')
    let m: RegExpExecArray | null
    if (VAULTS.test(path)) {
      const list = [...vaults].filter(([, name]) => wanted === undefined || name === wanted)
      send(
        200,
        list.map(([id, name]) => ({ id, name, type: 'USER_CREATED', contentVersion: 1 })),
      )
    } else if ((m = ITEMS.exec(path)) !== null) {
      const vaultId = m[1] ?? ''
      if (!vaults.has(vaultId)) {
        error(404, 'Invalid Vault UUID')
        return
      }
      const list = items.filter(
        (i) => i.vaultId === vaultId && (wanted === undefined || i.title === wanted),
      )
      send(
        200,
        list.map((i) => ({
          id: i.id,
          title: i.title,
          vault: { id: i.vaultId },
          category: 'LOGIN',
        })),
      )
    } else if ((m = ITEM.exec(path)) !== null) {
      const item = items.find((i) => i.vaultId === m?.[1] && i.id === m[2])
      if (item === undefined) {
        error(404, 'item not found')
        return
      }
      send(200, {
        id: item.id,
        title: item.title,
        vault: { id: item.vaultId },
        category: 'LOGIN',
        fields: item.fields.map(([label, value], n) => ({
          id: `field${String(n)}`,
          type: 'STRING',
          label,
          value,
        })),
      })
    } else {
      error(404, 'not found')
    }
  }

  const server = http.createServer((req, res) => {
    if (delayMs === 0) {
      answer(req, res)
      return
    }
    const timer = setTimeout(() => {
      held.delete(timer)
      answer(req, res)
    }, delayMs)
    held.add(timer)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const clearHeld = () => {
    for (const timer of held) clearTimeout(timer)
    held.clear()
  }
  return {
    endpoint: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    requests,
    addVault(name) {
      const id = newId('v')
      vaults.set(id, name)
      return id
    },
    addItem(vaultId, title, fields) {
      const id = newId('i')
      items.push({ id, title, vaultId, fields })
      return id
    },
    fault(prefix, status, times = Number.POSITIVE_INFINITY) {
      faults.push({ prefix, status, times })
    },
    delay(ms) {
      delayMs = ms
    },
    reset() {
      clearHeld()
      faults.length = 0
      requests.length = 0
      delayMs = 0
    },
    close: () =>
      new Promise((resolve) => {
        clearHeld()
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}
