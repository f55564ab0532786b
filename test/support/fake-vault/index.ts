import net from 'node:net'
import type { Fault } from './faults'
import { kvDeleteSecret, kvPut, kvRemoveVersion } from './kv'
import { FakeVaultServer, type RequestRecord, type TlsOptions } from './server'
import {
  FakeVaultState,
  trimSlashes,
  type AuthType,
  type Dialect,
  type KvMount,
  type Policy,
} from './state'

export type { Fault } from './faults'
export type { RequestRecord, TlsOptions } from './server'
export type { Dialect } from './state'

export interface FakeVaultOptions {
  /** Serve HTTPS with this key pair (see certs.ts); client certificates are requested for cert auth. */
  readonly tls?: TlsOptions
  /** The root token; defaults to a canary string. */
  readonly rootToken?: string
  /** Listen on this port (default: a free one). */
  readonly port?: number
  /** Answer as Vault (default) or as OpenBao where the two differ (state.ts). */
  readonly dialect?: Dialect
}

/** Where a seeded object lives: a namespace (default root) and an auth mount (default the method's name). */
export interface Placement {
  readonly namespace?: string
  readonly mount?: string
}

export interface LoginGrant extends Placement {
  readonly policies?: readonly string[]
  /** Token TTL in seconds (default 3600; 0 = no expiry). */
  readonly ttl?: number
}

/**
 * A Vault HTTP API fake for tests and the benchmark (docs/design/vault-wire.md).
 * Starts with a KV v2 mount `secret/` and a KV v1 mount `kv/` in the root
 * namespace, like a dev server; everything else is seeded by the test.
 */
export class FakeVault {
  readonly state = new FakeVaultState()
  readonly #server: FakeVaultServer
  readonly rootToken: string

  constructor(options: FakeVaultOptions = {}) {
    this.rootToken = options.rootToken ?? 'hvs.canary-root-token'
    this.state.tokens.set(this.rootToken, {
      namespace: '',
      policies: ['root'],
      ttl: 0,
      expiresAt: null,
      root: true,
    })
    this.state.dialect = options.dialect ?? 'vault'
    this.#server = new FakeVaultServer(this.state, options.tls)
    this.addKvMount('secret', 2)
    this.addKvMount('kv', 1)
  }

  get address(): string {
    return this.#server.address
  }

  /** Every request received, in order. */
  get requests(): readonly RequestRecord[] {
    return this.#server.requests
  }

  /** Most requests in flight at once since start (or `resetRequests`). */
  get maxInFlight(): number {
    return this.#server.maxInFlight
  }

  start(port?: number): Promise<string> {
    return this.#server.start(port)
  }

  stop(): Promise<void> {
    return this.#server.stop()
  }

  addNamespace(path: string): void {
    const parts = trimSlashes(path).split('/')
    for (let i = 1; i <= parts.length; i++) this.state.namespace(parts.slice(0, i).join('/'))
  }

  addKvMount(
    path: string,
    version: 1 | 2,
    options: { namespace?: string; maxVersions?: number } = {},
  ): void {
    const mount: KvMount = {
      version,
      v1: new Map(),
      v2: new Map(),
      maxVersions: options.maxVersions ?? 10,
    }
    this.state.namespace(options.namespace ?? '').mounts.set(trimSlashes(path), mount)
  }

  /** A mount of another engine (`transit`, `pki`…): reads fail, but the mount lookup reports its type. */
  addEngine(path: string, type: string, namespace = ''): void {
    this.state.namespace(namespace).engines.set(trimSlashes(path), type)
  }

  /** Writes a secret (a new version on KV v2) and returns its version number. */
  putKv(
    mount: string,
    path: string,
    data: Readonly<Record<string, unknown>>,
    namespace = '',
  ): number {
    return kvPut(this.#mount(mount, namespace), trimSlashes(path), data)
  }

  deleteVersion(mount: string, path: string, version: number, namespace = ''): void {
    kvRemoveVersion(this.#mount(mount, namespace), trimSlashes(path), version, false)
  }

  /** Deletes a KV v2 secret with all its versions and metadata. */
  deleteSecret(mount: string, path: string, namespace = ''): void {
    kvDeleteSecret(this.#mount(mount, namespace), trimSlashes(path))
  }

  destroyVersion(mount: string, path: string, version: number, namespace = ''): void {
    kvRemoveVersion(this.#mount(mount, namespace), trimSlashes(path), version, true)
  }

  addPolicy(name: string, policy: Policy): void {
    this.state.policies.set(name, policy)
  }

  /** A token for `AVP_AUTH_TYPE=token`. */
  addToken(token: string, grant: Omit<LoginGrant, 'mount'> = {}): void {
    const ttl = grant.ttl ?? 3600
    this.state.tokens.set(token, {
      namespace: trimSlashes(grant.namespace ?? ''),
      policies: grant.policies ?? ['reader'],
      ttl,
      expiresAt: ttl > 0 ? Date.now() + ttl * 1000 : null,
      root: false,
    })
  }

  addApprole(roleId: string, secretId: string, grant: LoginGrant = {}): void {
    this.#addLogin('approle', roleId, secretId, grant)
  }

  addKubernetesRole(role: string, jwt: string, grant: LoginGrant = {}): void {
    this.#addLogin('kubernetes', role, jwt, grant)
  }

  addUser(username: string, password: string, grant: LoginGrant = {}): void {
    this.#addLogin('userpass', username.toLowerCase(), password, grant)
  }

  addGithubToken(token: string, grant: LoginGrant = {}): void {
    this.#addLogin('github', token, token, grant)
  }

  /** Cert auth: `fingerprint256` of the client certificate (as `X509Certificate#fingerprint256`). */
  addCertRole(name: string, fingerprint256: string, grant: LoginGrant = {}): void {
    this.#addLogin('cert', name, fingerprint256, grant)
  }

  /** Revokes every issued token (the root token stays): cached tokens then get the dialect's bad-token 403. */
  revokeIssuedTokens(): void {
    for (const [token, record] of this.state.tokens)
      if (!record.root) this.state.tokens.delete(token)
  }

  fault(fault: Fault): void {
    this.#server.faults.add(fault)
  }

  clearFaults(): void {
    this.#server.faults.clear()
  }

  /** Requests whose decoded path is exactly `path` (and method, if given). */
  count(path: string, method?: string): number {
    return this.requests.filter(
      (r) => r.path === path && (method === undefined || r.method === method),
    ).length
  }

  /** Login requests (any auth mount). */
  logins(): readonly RequestRecord[] {
    return this.requests.filter((r) => /^(.+\/)?auth\/.+\/login(\/|$)/.test(r.path))
  }

  /** Mount lookups (`sys/internal/ui/mounts/...`). */
  mountLookups(): readonly RequestRecord[] {
    return this.requests.filter((r) => r.path.includes('sys/internal/ui/mounts/'))
  }

  resetRequests(): void {
    this.#server.requests.length = 0
    this.#server.maxInFlight = 0
  }

  #mount(path: string, namespace: string): KvMount {
    const mount = this.state.namespace(namespace).mounts.get(trimSlashes(path))
    if (mount === undefined)
      throw new Error(`fake vault: no mount ${path} in namespace "${namespace}"`)
    return mount
  }

  #addLogin(type: AuthType, key: string, secret: string, grant: LoginGrant): void {
    const ns = this.state.namespace(grant.namespace ?? '')
    const mountPath = trimSlashes(grant.mount ?? type).replace(/^auth\//, '')
    let mount = ns.auth.get(mountPath)
    if (mount === undefined) {
      mount = { type, entries: new Map() }
      ns.auth.set(mountPath, mount)
    }
    mount.entries.set(key, {
      secret,
      policies: grant.policies ?? ['reader'],
      ttl: grant.ttl ?? 3600,
    })
  }
}

/** Starts a fake Vault (seed it before or after; it reads the state per request). */
export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const vault = new FakeVault(options)
  await vault.start(options.port)
  return vault
}

/** An http:// address where nothing listens (connection refused). */
export async function unusedAddress(): Promise<string> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve()
    }),
  )
  return `http://127.0.0.1:${String(port)}`
}
