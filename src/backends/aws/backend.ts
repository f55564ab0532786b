import { refKey, type Lookup, type RefKey, type SecretRef } from '../../secrets/ref'
import { runBounded } from '../run-bounded'
import type { Backend, BackendDeps, CurrentVersion, FetchContext } from '../types'
import { BATCH_LIMIT, fetchBatch } from './batch'
import { describeCurrent } from './current-version'
import { AwsCallError } from './errors'
import type { AwsConfig } from './config'
import { batchItemLookup, failureLookup, valueLookup, type Deadline } from './lookups'
import { chunk, planFetches, type Target } from './plan'
import type { PortFactory, SecretsManagerPort } from './port-types'

type Job =
  | { readonly kind: 'batch'; readonly targets: Target[] }
  | { readonly kind: 'get'; readonly target: Target }

/** State of one `fetchMany`: clients per region, outcomes per target, the deadline. */
interface Run {
  readonly ctx: FetchContext
  /** The run's signal: aborts every call on the deadline or SIGTERM. */
  readonly signal: AbortSignal
  readonly deadline: Deadline
  readonly port: (region: string) => SecretsManagerPort
  readonly outcomes: Map<Target, Lookup>
}

/**
 * The `awssecretsmanager` backend. Latest-version refs are read with
 * BatchGetSecretValue, 20 ids a call; versioned refs, and chunks whose batch
 * call the role may not make, with GetSecretValue. At most
 * `config.concurrency` calls are in flight.
 */
export function createAwsBackend(
  config: AwsConfig,
  deps: BackendDeps,
  makePort: PortFactory,
): Backend {
  if (config.credentials !== undefined) {
    deps.registerSecret(config.credentials.accessKeyId.reveal())
    deps.registerSecret(config.credentials.secretAccessKey.reveal())
    deps.registerSecret(config.credentials.sessionToken?.reveal())
  }
  return {
    type: 'awssecretsmanager',
    async fetchMany(refs: readonly SecretRef[], ctx: FetchContext) {
      const plan = planFetches(refs, config.region)
      const results = new Map<RefKey, Lookup>()
      for (const { ref, failure } of plan.rejected) {
        results.set(refKey(ref), { ok: false, failure })
      }
      const ports = new Map<string, SecretsManagerPort>()
      const run: Run = {
        ctx,
        signal: ctx.signal,
        deadline: { ms: ctx.deadlineMs, signal: ctx.signal },
        port: (region) => portFor(ports, region, makePort),
        outcomes: new Map(),
      }
      try {
        await fetchAll(run, plan.targets, config)
      } finally {
        for (const port of ports.values()) port.destroy()
      }
      for (const target of plan.targets) {
        const lookup = run.outcomes.get(target) ?? internalMiss(target)
        for (const ref of target.refs) results.set(refKey(ref), lookup)
      }
      return results
    },
    async currentVersions(paths: readonly string[], ctx: FetchContext) {
      const plan = planFetches(
        paths.map((path) => ({ path })),
        config.region,
      )
      const results = new Map<string, CurrentVersion>()
      for (const { ref, failure } of plan.rejected) {
        results.set(ref.path, { kind: 'failed', failure })
      }
      const ports = new Map<string, SecretsManagerPort>()
      const deadline = { ms: ctx.deadlineMs, signal: ctx.signal }
      try {
        await runBounded(plan.targets, config.concurrency, async (target) => {
          const port = portFor(ports, target.region, makePort)
          const current = await describeCurrent(port, target, deadline)
          for (const ref of target.refs) results.set(ref.path, current)
        })
      } finally {
        for (const port of ports.values()) port.destroy()
      }
      return results
    },
  }
}

function portFor(
  ports: Map<string, SecretsManagerPort>,
  region: string,
  make: PortFactory,
): SecretsManagerPort {
  let port = ports.get(region)
  if (port === undefined) {
    port = make(region)
    ports.set(region, port)
  }
  return port
}

/** Phase 1: batches and versioned reads; phase 2: single reads for chunks that fell back. */
async function fetchAll(run: Run, targets: readonly Target[], config: AwsConfig): Promise<void> {
  const fallback: Target[] = []
  await runBounded(jobsFor(targets), config.concurrency, async (job) => {
    if (job.kind === 'get') {
      await fetchOne(run, job.target)
    } else {
      fallback.push(...(await runBatch(run, job.targets)))
    }
  })
  await runBounded(fallback, config.concurrency, (target) => fetchOne(run, target))
}

function jobsFor(targets: readonly Target[]): Job[] {
  const latest = new Map<string, Target[]>()
  const jobs: Job[] = []
  for (const target of targets) {
    if (target.version.kind !== 'latest') {
      jobs.push({ kind: 'get', target })
      continue
    }
    const list = latest.get(target.region) ?? []
    list.push(target)
    latest.set(target.region, list)
  }
  const batches: Job[] = [...latest.values()].flatMap((list) =>
    chunk(list, BATCH_LIMIT).map((c): Job => ({ kind: 'batch', targets: c })),
  )
  return [...batches, ...jobs]
}

/** Runs one chunk; returns the targets to read one by one instead. */
async function runBatch(run: Run, targets: Target[]): Promise<Target[]> {
  const first = targets[0]
  if (first === undefined) return []
  const started = Date.now()
  const outcome = await fetchBatch(run.port(first.region), targets, run.signal)
  const ms = Date.now() - started
  const log = (e: { ms: number; outcome: string }) => {
    run.ctx.log({ kind: 'batch', region: first.region, ids: targets.length, ...e })
  }
  if (outcome.kind === 'fallback') {
    log({ ms, outcome: `fallback to GetSecretValue (${outcome.reason})` })
    return targets
  }
  if (outcome.kind === 'failed') {
    log({ ms, outcome: outcome.facts.name })
    for (const target of targets)
      settle(run, target, failureLookup(target, outcome.facts, run.deadline))
    return []
  }
  log({ ms, outcome: `ok (${String(outcome.pages)} page(s))` })
  for (const [target, item] of outcome.items) {
    settle(run, target, batchItemLookup(target, item, run.deadline))
  }
  return []
}

async function fetchOne(run: Run, target: Target): Promise<void> {
  const v = target.version
  let lookup: Lookup
  try {
    const value = await run.port(target.region).getSecretValue(
      {
        secretId: target.secretId,
        ...(v.kind === 'id' ? { versionId: v.versionId } : {}),
        ...(v.kind === 'stage' ? { versionStage: v.stage } : {}),
      },
      run.signal,
    )
    lookup = valueLookup(target, value)
  } catch (err) {
    if (!(err instanceof AwsCallError)) throw err
    lookup = failureLookup(target, err.facts, run.deadline)
  }
  settle(run, target, lookup)
}

function settle(run: Run, target: Target, lookup: Lookup): void {
  run.outcomes.set(target, lookup)
}

function internalMiss(target: Target): Lookup {
  return { ok: false, failure: { code: 'BACKEND_ERROR', message: `no result for ${target.label}` } }
}
