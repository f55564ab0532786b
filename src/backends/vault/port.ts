// The only module that imports node-vault (docs/design/engineering-rules.md, vendor isolation).
import http from 'node:http'
import https from 'node:https'
import nodeVault from 'node-vault'
import { encodePath } from './paths'
import {
  VaultTransportError,
  type VaultCall,
  type VaultPort,
  type VaultResponse,
} from './port-types'
import { translateError } from './translate-error'

export interface PortOptions {
  /** `VAULT_ADDR` without a trailing slash. */
  readonly address: string
  readonly namespace?: string
  /** TLS material already read from disk, and `rejectUnauthorized` (see tls.ts). */
  readonly tls: https.AgentOptions
  readonly timeoutMs: number
}

/** The parts of node-vault's client we use; its typings say `any` everywhere (docs/design/vault-wire.md). */
interface NodeVaultClient {
  endpoint: string
  pathPrefix: string
  token: string | undefined
  namespace: string | undefined
  request(options: Record<string, unknown>): Promise<unknown>
}

/**
 * A `VaultPort` on node-vault 0.12, with its known problems worked around
 * (docs/design/vault-wire.md):
 * - Every call goes through `client.request` with a path we encode ourselves:
 *   the generated commands render path arguments through mustache's HTML
 *   escaping, `kubernetesLogin` without a mount posts to `/v1/auth//login`
 *   (#300) and `certLogin({name})` throws. So logins are plain POSTs to
 *   `auth/<mount>/login`, the mount always explicit.
 * - Nothing comes from `process.env` implicitly (`VAULT_ADDR`, `VAULT_TOKEN`,
 *   `VAULT_NAMESPACE`, `VAULT_PREFIX`, `VAULT_SKIP_VERIFY`): the client's
 *   fields are overwritten after construction, and TLS lives in our own agents.
 * - node-vault's `debug` logs request bodies (secret_id, passwords, JWTs): a no-op is injected.
 * - No timeout and no abort upstream: each call gets axios' `timeout`, a timer
 *   of our own and the run's signal; `close()` destroys the agents' sockets.
 * - Errors are translated (translate-error.ts) before anything else sees them.
 * axios still honours HTTP(S)_PROXY/NO_PROXY and follows redirects (a standby
 * Vault redirects to the active node), like the Vault CLI.
 */
export function createVaultPort(options: PortOptions): VaultPort {
  const client = nodeVault({
    endpoint: options.address,
    debug: () => undefined,
    commands: {},
    rpDefaults: { strictSSL: true },
  } as Parameters<typeof nodeVault>[0]) as unknown as NodeVaultClient
  client.endpoint = options.address
  client.pathPrefix = ''
  client.token = undefined
  client.namespace = options.namespace
  const agents = {
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ ...options.tls, keepAlive: true }),
  }
  const send = (request: Record<string, unknown>, call: VaultCall): Promise<VaultResponse> =>
    sendOnce(client, { ...request, ...agents, timeout: options.timeoutMs }, call, options.timeoutMs)
  return {
    read: (path, query, call) =>
      send(
        {
          method: 'GET',
          path: `/${encodePath(path)}${queryString(query)}`,
          headers: headers(call),
        },
        call,
      ),
    write: (path, body, call) =>
      send(
        { method: 'POST', path: `/${encodePath(path)}`, json: body, headers: headers(call) },
        call,
      ),
    close() {
      agents.httpAgent.destroy()
      agents.httpsAgent.destroy()
    },
  }
}

function headers(call: VaultCall): Record<string, string> {
  // X-Vault-Request: required by a Vault Proxy with `require_request_header` (docs/design/vault-wire.md).
  return call.token === undefined
    ? { 'X-Vault-Request': 'true' }
    : { 'X-Vault-Request': 'true', 'X-Vault-Token': call.token }
}

function queryString(query: Readonly<Record<string, string>>): string {
  const text = new URLSearchParams(query).toString()
  return text === '' ? '' : `?${text}`
}

function sendOnce(
  client: NodeVaultClient,
  request: Record<string, unknown>,
  call: VaultCall,
  timeoutMs: number,
): Promise<VaultResponse> {
  if (call.signal.aborted) return Promise.reject(new VaultTransportError('ABORTED'))
  return new Promise<VaultResponse>((resolve, reject) => {
    let done = false
    const finish = (settle: () => void): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      call.signal.removeEventListener('abort', onAbort)
      settle()
    }
    const onAbort = (): void => {
      finish(() => {
        reject(new VaultTransportError('ABORTED'))
      })
    }
    // axios' timeout only watches socket inactivity; this bounds the whole call.
    const timer = setTimeout(() => {
      finish(() => {
        reject(new VaultTransportError('TIMEOUT'))
      })
    }, timeoutMs + 100)
    call.signal.addEventListener('abort', onAbort, { once: true })
    client.request(request).then(
      (body) => {
        finish(() => {
          resolve({ status: isEmpty(body) ? 204 : 200, body })
        })
      },
      (err: unknown) => {
        const translated = translateError(err)
        finish(() => {
          if (translated.kind === 'response') resolve(translated.response)
          else reject(translated.error)
        })
      },
    )
  })
}

/** node-vault resolves 200 and 204 alike with the body; a 204 has none. */
function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || body === ''
}
