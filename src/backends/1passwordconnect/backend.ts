import type { FetchFailure, Lookup, SecretRef } from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { stoppedMessage } from '../deadline'
import { fetchDistinct, type Placement } from '../distinct'
import { retrying } from '../retry'
import type { Backend, BackendDeps, FetchContext } from '../types'
import type { ConnectConfig } from './config'
import { retryVerdict, statusFailure, transportFailure } from './errors'
import { itemData } from './item-data'
import { eqFilter, isConnectId, parseItemPath, type ItemPath } from './item-path'
import type { ConnectPort } from './port'

/** A step's outcome: the id it found, or the failure for every ref that needed it. */
type Step =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly failure: FetchFailure }

/** What one `fetchMany` shares: the port, the signal, and one vault lookup per distinct vault name. */
interface Run {
  readonly port: ConnectPort
  readonly config: ConnectConfig
  readonly ctx: FetchContext
  readonly signal: AbortSignal
  readonly vaults: Map<string, Promise<Step>>
}

/**
 * The `1passwordconnect` backend. Per distinct item: the vault's id (one
 * lookup per distinct vault name in the run), the item's id (a title lookup
 * unless the path gives an id), then the item. At most `config.concurrency`
 * items at once; 429, 5xx and connection errors are retried until the run's
 * signal (deadline or SIGTERM) stops them.
 */
export function createConnectBackend(
  config: ConnectConfig,
  deps: BackendDeps,
  port: ConnectPort,
): Backend {
  deps.registerSecret(config.token.reveal())
  return {
    type: '1passwordconnect',
    fetchMany(refs, ctx) {
      const run: Run = { port, config, ctx, signal: ctx.signal, vaults: new Map() }
      const place = (ref: SecretRef): Placement<ItemPath> => {
        const path = parseItemPath(ref.path)
        if ('failure' in path) return { failure: { code: 'CONFIG_INVALID', message: path.failure } }
        const key = JSON.stringify([path.vault, path.item])
        return { key, target: path }
      }
      return fetchDistinct(refs, place, (path) => readItem(run, path), config.concurrency)
    },
  }
}

async function readItem(run: Run, path: ItemPath): Promise<Lookup> {
  const vaultWhat = `vault ${JSON.stringify(path.vault)}`
  const itemWhat = `item ${JSON.stringify(path.item)} in ${vaultWhat}`
  let vault = run.vaults.get(path.vault)
  if (vault === undefined) {
    vault = isConnectId(path.vault)
      ? Promise.resolve({ ok: true, id: path.vault })
      : findOne(
          run,
          `/v1/vaults?${eqFilter('name', path.vault)}`,
          vaultWhat,
          (n) =>
            `${String(n)} vaults are named ${JSON.stringify(path.vault)}; use the vault's id in the path`,
        )
    run.vaults.set(path.vault, vault)
  }
  const vaultStep = await vault
  if (!vaultStep.ok) return vaultStep
  const vaultPath = `/v1/vaults/${encodeURIComponent(vaultStep.id)}/items`
  const itemStep = isConnectId(path.item)
    ? { ok: true as const, id: path.item }
    : await findOne(
        run,
        `${vaultPath}?${eqFilter('title', path.item)}`,
        itemWhat,
        (n) =>
          `${String(n)} items in ${vaultWhat} are titled ${JSON.stringify(path.item)}; use the item's id in the path`,
      )
  if (!itemStep.ok) return itemStep
  const answer = await get(run, `${vaultPath}/${encodeURIComponent(itemStep.id)}`, itemWhat)
  if (!answer.ok) return answer
  const data = itemData(answer.body, itemWhat)
  return data.ok ? { ok: true, data: new Secret(data.data) } : data
}

/** A title lookup that must find exactly one: the Go SDK's rule, with a message that says what to do. */
async function findOne(
  run: Run,
  pathAndQuery: string,
  what: string,
  ambiguous: (count: number) => string,
): Promise<Step> {
  const answer = await get(run, pathAndQuery, what)
  if (!answer.ok) return answer
  const list = Array.isArray(answer.body) ? (answer.body as unknown[]) : []
  const ids = list.flatMap((entry) => {
    const id =
      typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined
    return typeof id === 'string' && isConnectId(id) ? [id] : []
  })
  const [id] = ids
  if (id !== undefined && ids.length === 1) return { ok: true, id }
  if (ids.length === 0) {
    return {
      ok: false,
      failure: {
        code: 'SECRET_NOT_FOUND',
        message: `${what} not found in 1Password Connect (or the token may not read it)`,
      },
    }
  }
  return {
    ok: false,
    failure: {
      code: 'CONFIG_INVALID',
      message: ambiguous(ids.length),
    },
  }
}

/** One GET with retries; a 200 answer, or the failure as a lookup. */
async function get(
  run: Run,
  pathAndQuery: string,
  what: string,
): Promise<
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly failure: FetchFailure }
> {
  const { result, attempts } = await retrying(
    () => run.port.get(pathAndQuery, run.signal),
    retryVerdict,
    {
      maxAttempts: run.config.maxAttempts,
      signal: run.signal,
      log: run.ctx.log,
      what: `read ${what}`,
    },
  )
  if (run.signal.aborted) {
    const last = result.ok ? ` (last answer HTTP ${String(result.status)})` : ''
    return {
      ok: false,
      failure: {
        code: 'TIMEOUT',
        message: `${stoppedMessage(run.signal, `reading ${what}`)}${last}`,
      },
    }
  }
  if (!result.ok) {
    return {
      ok: false,
      failure: transportFailure(
        result.failure,
        run.config.host,
        what,
        run.config.requestTimeoutMs,
        attempts,
      ),
    }
  }
  if (result.status !== 200)
    return { ok: false, failure: statusFailure(result.status, what, attempts) }
  return { ok: true, body: result.body }
}
