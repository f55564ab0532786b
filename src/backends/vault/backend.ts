import {
  refKey,
  type FetchFailure,
  type Lookup,
  type RefKey,
  type SecretRef,
} from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { runBounded } from '../run-bounded'
import type { Backend, BackendDeps, CurrentVersion, FetchContext } from '../types'
import { VaultSession } from './auth/session'
import type { VaultConfig } from './config'
import { MountResolver } from './kv-mounts'
import { readCurrentVersion } from './kv-metadata'
import { checkPath } from './kv-plan'
import { readSecret, type ReadDeps } from './kv-read'
import type { PortOptions } from './port'
import type { VaultPort } from './port-types'
import { startRun } from './run-context'
import { loadTls } from './tls'

/**
 * The Vault backend (`AVP_TYPE=vault`). Each `fetchMany` reads every
 * distinct ref once, with at most `AVP_VAULT_CONCURRENCY` reads in flight,
 * after a lazy login (none at all without refs). Mount lookups and the token
 * are kept for the rest of the run.
 */
export function createVaultBackend(
  config: VaultConfig,
  deps: BackendDeps,
  makePort: (options: PortOptions) => VaultPort,
): Backend {
  registerCredentials(config, deps)
  const session = new VaultSession(config, deps)
  const mounts = new MountResolver(config.namespace)
  /**
   * Runs `body` with a logged-in run (the port closed after), or returns the
   * failure that stopped the TLS setup or the login.
   */
  const withLogin = async <T>(
    ctx: FetchContext,
    body: (deps: ReadDeps) => Promise<T>,
  ): Promise<T | { readonly failed: FetchFailure }> => {
    const tls = await loadTls(config.tls, deps.registerSecret)
    if (!tls.ok) return { failed: { code: 'CONFIG_INVALID', message: tls.failure } }
    const port = makePort({
      address: config.address,
      tls: tls.options,
      timeoutMs: config.requestTimeoutMs,
      maxSockets: config.concurrency,
      ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
    })
    const run = startRun(config, port, ctx)
    try {
      // Log in (or load the cached token) before fanning out, so calls share one login.
      const first = await session.token(run)
      if (!first.ok) return { failed: first.failure }
      return await body({ config, run, session, mounts, reads: new Map() })
    } finally {
      run.dispose()
    }
  }
  return {
    type: 'vault',
    async fetchMany(refs: readonly SecretRef[], ctx: FetchContext) {
      // The refs are distinct: the pipeline deduplicates them (pipeline/secret-resolver.ts).
      // Paths that can never be read (auth/, sys/…) fail before the login or any request.
      const results = new Map<RefKey, Lookup>()
      const readable: SecretRef[] = []
      for (const ref of refs) {
        const checked = checkPath(ref)
        if (checked.ok) readable.push(ref)
        else results.set(refKey(ref), { ok: false, failure: checked.failure })
      }
      if (readable.length === 0) return results
      const done = await withLogin(ctx, (readDeps) => readAll(readable, readDeps, results))
      if (done !== undefined) return failAll(readable, done.failed, results)
      return results
    },
    async currentVersions(paths: readonly string[], ctx: FetchContext) {
      const results = new Map<string, CurrentVersion>()
      const readable = paths.filter((path) => {
        const checked = checkPath({ path })
        if (!checked.ok) results.set(path, { kind: 'failed', failure: checked.failure })
        return checked.ok
      })
      if (readable.length === 0) return results
      const done = await withLogin(ctx, (readDeps) =>
        runBounded(readable, config.concurrency, async (path) => {
          results.set(path, await readCurrentVersion(path, readDeps))
        }),
      )
      if (done !== undefined) {
        for (const path of readable) results.set(path, { kind: 'failed', failure: done.failed })
      }
      return results
    },
  }
}

async function readAll(
  refs: readonly SecretRef[],
  deps: ReadDeps,
  results: Map<RefKey, Lookup>,
): Promise<void> {
  await runBounded(refs, deps.config.concurrency, async (ref) => {
    const outcome = await readSecret(ref, deps)
    results.set(
      refKey(ref),
      outcome.ok
        ? {
            ok: true,
            data: new Secret(outcome.data),
            ...(outcome.version === undefined ? {} : { version: outcome.version }),
          }
        : { ok: false, failure: outcome.failure },
    )
  })
}

function failAll(
  refs: readonly SecretRef[],
  error: FetchFailure,
  results: Map<RefKey, Lookup>,
): ReadonlyMap<RefKey, Lookup> {
  for (const ref of refs) results.set(refKey(ref), { ok: false, failure: error })
  return results
}

/** Every credential of the configuration is reported before any call (docs/design/engineering-rules.md). */
function registerCredentials(config: VaultConfig, deps: BackendDeps): void {
  const { auth } = config
  const secrets =
    auth.method === 'token'
      ? [auth.token]
      : auth.method === 'approle'
        ? [auth.roleId, auth.secretId]
        : auth.method === 'userpass'
          ? [auth.password]
          : auth.method === 'github'
            ? [auth.token]
            : []
  for (const secret of secrets) if (secret !== undefined) deps.registerSecret(secret.reveal())
}
