// A loopback stand-in for Azure Key Vault and the Microsoft Entra ID token
// endpoint, over TLS (the SDK sends a bearer token over https only), as the
// SDKs see them on the wire:
// - Key Vault: `GET /<vault>/secrets/<name>/<version>?api-version=…` (the
//   plugin's vault URL template puts the vault name in the path here). A
//   request without a token gets 401 with the `WWW-Authenticate` challenge
//   naming the tenant and resource; errors are `{"error": {"code", "message",
//   "innererror"}}` (https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret,
//   https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses).
// - Entra ID: the OpenID configuration and the v2.0 token endpoint, for the
//   client-credentials grant with a client secret or a federated token
//   (workload identity's client assertion).
// Port chosen by the OS, 127.0.0.1 only. Every server message carries a canary.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import type http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { generatePki } from './fake-vault/certs'

/** In every message the fake sends: the plugin must never print a server's message. */
export const AZURE_MESSAGE_CANARY = 'canary-azure-server-message-7d1e'

export const AZURE_TENANT = '72f988bf-0000-4000-8000-canary0tenant'
export const AZURE_CLIENT = 'c0ffee00-0000-4000-8000-00000000c1d0'

export type AzureFaultKind = 'Forbidden' | 'Throttled' | 'ServiceUnavailable' | 'slow'

export interface AzureFault {
  readonly kind: AzureFaultKind
  /** Only for this secret name; default: every secret. */
  readonly secret?: string
  /** How many calls fail; then the fault is spent. Default: every call. */
  readonly times?: number
  readonly delayMs?: number
  /** `Retry-After` seconds on 429 and 503 (default 0). */
  readonly retryAfter?: number
}

export interface FakeAzureKeyVault {
  /** `https://127.0.0.1:<port>`: Key Vault and Entra ID. */
  readonly origin: string
  /** For `AVP_AZURE_VAULT_URL_TEMPLATE`. */
  readonly vaultUrlTemplate: string
  /** The CA that signed the server's certificate, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string
  /** The access token the token endpoint hands out; Key Vault accepts only it. */
  readonly accessToken: string
  /** The client secret and federated token the token endpoint accepts. */
  readonly clientSecret: string
  readonly federatedToken: string
  /** Adds a version of `vault/name`; returns its version id. */
  addSecret(vault: string, name: string, value: string, options?: { enabled?: boolean }): string
  fault(fault: AzureFault): void
  /** Authorized GETs per `vault/name/version` (`vault/name/` for the latest), failed ones included. */
  getCalls(): ReadonlyMap<string, number>
  totalGets(): number
  /** Requests without a token, answered with the 401 challenge. */
  challenges(): number
  tokenCalls(): number
  reset(): void
  close(): Promise<void>
}

interface StoredVersion {
  readonly id: string
  readonly value: string
  readonly enabled: boolean
}

const SECRET_PATH = /^\/([^/]+)\/secrets\/([^/]+)(?:\/([^/]*))?$/

export async function startFakeAzureKeyVault(): Promise<FakeAzureKeyVault> {
  const pki = generatePki()
  const secrets = new Map<string, StoredVersion[]>()
  const faults: { fault: AzureFault; left: number }[] = []
  const calls = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  const accessToken = `eyJ0eXAiOiJKV1Qi.canary-azure-access-token-${String(process.pid)}`
  const clientSecret = `canary-azure-client-secret-${randomBytes(6).toString('hex')}`
  const federatedToken = `eyJhbGciOiJSUzI1NiJ9.canary-azure-federated-token-${randomBytes(6).toString('hex')}`
  let challenged = 0
  let tokens = 0
  let origin = ''

  const takeFault = (name: string): AzureFault | undefined => {
    const hit = faults.find(
      (f) => f.left > 0 && (f.fault.secret === undefined || f.fault.secret === name),
    )
    if (hit === undefined) return undefined
    hit.left -= 1
    return hit.fault
  }

  const challenge = (res: http.ServerResponse): void => {
    res.setHeader(
      'WWW-Authenticate',
      `Bearer authorization="https://login.microsoftonline.com/${AZURE_TENANT}", resource="https://vault.azure.net"`,
    )
    sendError(res, 401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.')
  }

  const getSecret = (res: http.ServerResponse, vault: string, name: string, version: string) => {
    const versions = secrets.get(`${vault}/${name}`.toLowerCase())
    const found = version === '' ? versions?.at(-1) : versions?.find((v) => v.id === version)
    if (found === undefined) {
      const what = version === '' ? name : `${name}/${version}`
      sendError(
        res,
        404,
        'SecretNotFound',
        `A secret with (name/id) ${what} was not found in this key vault.`,
      )
    } else if (!found.enabled) {
      sendError(
        res,
        403,
        'Forbidden',
        'Operation get is not allowed on a disabled secret.',
        'SecretDisabled',
      )
    } else {
      sendJson(res, 200, {
        value: found.value,
        id: `https://${vault}.vault.azure.net/secrets/${name}/${found.id}`,
        attributes: {
          enabled: true,
          created: 1700000000,
          updated: 1700000000,
          recoveryLevel: 'Recoverable+Purgeable',
        },
        tags: {},
      })
    }
  }

  const keyVault = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const match = SECRET_PATH.exec(url.pathname)
    if (req.method !== 'GET' || match === null || url.searchParams.get('api-version') === null) {
      sendError(res, 400, 'BadParameter', `no such operation ${req.method ?? ''} ${url.pathname}`)
      return
    }
    const [, vault = '', name = '', version = ''] = match.map(decodeURIComponent)
    const auth = req.headers.authorization
    if (auth === undefined) {
      challenged += 1
      challenge(res)
      return
    }
    const key = `${vault}/${name}/${version}`
    calls.set(key, (calls.get(key) ?? 0) + 1)
    if (auth !== `Bearer ${accessToken}`) {
      challenge(res)
      return
    }
    const fault = takeFault(name)
    if (fault === undefined) {
      getSecret(res, vault, name, version)
    } else if (fault.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!res.destroyed) getSecret(res, vault, name, version)
      }, fault.delayMs ?? 60_000)
      timers.add(timer)
    } else {
      sendFault(res, fault, vault, name)
    }
  }

  const entra = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string) => {
    const tenant = url.pathname.split('/')[1] ?? ''
    if (url.pathname.endsWith('/.well-known/openid-configuration')) {
      const base = `${origin}/${tenant}`
      sendJson(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        issuer: `${origin}/${tenant}/v2.0`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      })
      return
    }
    if (req.method !== 'POST' || !url.pathname.endsWith('/oauth2/v2.0/token')) {
      sendJson(res, 404, { error: 'not_found', error_description: AZURE_MESSAGE_CANARY })
      return
    }
    tokens += 1
    const form = new URLSearchParams(body)
    const good =
      tenant === AZURE_TENANT &&
      form.get('grant_type') === 'client_credentials' &&
      form.get('client_id') === AZURE_CLIENT &&
      form.get('scope') === 'https://vault.azure.net/.default' &&
      (form.get('client_secret') === clientSecret ||
        form.get('client_assertion') === federatedToken)
    if (!good) {
      sendJson(res, 401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. ${AZURE_MESSAGE_CANARY}`,
        error_codes: [7000215],
      })
      return
    }
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
    })
  }

  const server = https.createServer(
    { cert: fs.readFileSync(pki.serverCert), key: fs.readFileSync(pki.serverKey) },
    (req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => (body += chunk))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', origin)
        if (url.pathname.includes('/secrets/')) keyVault(req, res, url)
        else entra(req, res, url, body)
      })
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  origin = `https://127.0.0.1:${String(port)}`

  return {
    origin,
    vaultUrlTemplate: `${origin}/{vault}`,
    caFile: pki.caCert,
    accessToken,
    clientSecret,
    federatedToken,
    addSecret(vault, name, value, options = {}) {
      const key = `${vault}/${name}`.toLowerCase()
      const versions = secrets.get(key) ?? []
      const id = randomBytes(16).toString('hex')
      versions.push({ id, value, enabled: options.enabled ?? true })
      secrets.set(key, versions)
      return id
    },
    fault(fault) {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY })
    },
    getCalls: () => new Map(calls),
    totalGets: () => [...calls.values()].reduce((a, b) => a + b, 0),
    challenges: () => challenged,
    tokenCalls: () => tokens,
    reset() {
      secrets.clear()
      faults.length = 0
      calls.clear()
      challenged = 0
      tokens = 0
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      return new Promise((resolve) =>
        server.close(() => {
          fs.rmSync(pki.dir, { recursive: true, force: true })
          resolve()
        }),
      )
    },
  }
}

function sendFault(res: http.ServerResponse, fault: AzureFault, vault: string, name: string): void {
  const retryAfter = String(fault.retryAfter ?? 0)
  switch (fault.kind) {
    case 'Forbidden':
      sendError(
        res,
        403,
        'Forbidden',
        `The user, group or application 'appid=${AZURE_CLIENT}' does not have secrets get permission on key vault '${vault};location=westeurope' for ${name}.`,
        'AccessDenied',
      )
      return
    case 'Throttled':
      res.setHeader('Retry-After', retryAfter)
      sendError(
        res,
        429,
        'Throttled',
        'Request was not allowed because application has exceeded the maximum request rate.',
      )
      return
    case 'ServiceUnavailable':
    case 'slow':
      res.setHeader('Retry-After', retryAfter)
      sendError(res, 503, 'ServiceUnavailable', 'The service is unavailable.')
  }
}

function sendError(
  res: http.ServerResponse,
  status: number,
  code: string,
  message: string,
  inner?: string,
): void {
  sendJson(res, status, {
    error: {
      code,
      message: `${message} ${AZURE_MESSAGE_CANARY}`,
      ...(inner === undefined ? {} : { innererror: { code: inner } }),
    },
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

/** How the plugin authenticates against the fake. */
export type AzureAuth = 'workload-identity' | 'client-secret'

/**
 * The CLI's environment for the fake: the vault URL and the authority moved
 * to loopback, the fake's CA trusted, and a credential (workload identity by
 * default, the AKS way; its token file is written to `dir`).
 */
export function azureEnv(
  fake: FakeAzureKeyVault,
  dir: string,
  auth: AzureAuth = 'workload-identity',
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string | undefined> {
  const credential =
    auth === 'client-secret'
      ? { AZURE_CLIENT_SECRET: fake.clientSecret }
      : { AZURE_FEDERATED_TOKEN_FILE: writeTokenFile(dir, fake.federatedToken) }
  return {
    AVP_TYPE: 'azurekeyvault',
    AVP_AZURE_VAULT_URL_TEMPLATE: fake.vaultUrlTemplate,
    AZURE_AUTHORITY_HOST: fake.origin,
    AZURE_TENANT_ID: AZURE_TENANT,
    AZURE_CLIENT_ID: AZURE_CLIENT,
    NODE_EXTRA_CA_CERTS: fake.caFile,
    ...credential,
    ...extra,
  }
}

function writeTokenFile(dir: string, token: string): string {
  const file = `${dir}/azure-identity-token`
  fs.writeFileSync(file, token)
  return file
}
