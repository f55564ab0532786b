import { setMaxListeners } from 'node:events'
import path from 'node:path'
import { selectBackend, settingPrefixes } from '../../backends/registry'
import { appParamIssues, readAppPolicy } from '../../config/app-policy'
import { commonOptions } from '../../config/common'
import { loadSettings } from '../../config/load'
import { compareProblems, ProblemsError, type Problem } from '../../errors'
import type { Manifest } from '../../input/manifest'
import { parseManifests } from '../../input/parse'
import type { InputText } from '../../input/types'
import type { DebugLog } from '../../log'
import type { PlanOptions } from '../../placeholders'
import { renderApp, type RenderMode } from '../../render/render-app'
import { isWithinReal, repoRootOf } from '../../render/safe-path'
import type { Redactor } from '../../secrets/redact'
import type { Io } from '../io'
import { SecretResolver } from './secret-resolver'
import { resolvingSubstituter, stubSubstituter, type Substituter } from './substitute'
import { valuesResolver } from './values-resolver'

/** What selects the input and the configuration; shared by `generate` and `plan`. */
export interface RunInput {
  /** Directory or file to process, or `-` for a manifest stream on stdin. */
  readonly path: string
  readonly configPath?: string
  readonly secretName?: string
  readonly disableTokenCache: boolean
  readonly render: RenderMode
  /** `--stub`: every placeholder becomes a dummy; the backend is neither configured nor asked. */
  readonly stub?: boolean
  /** False for `--no-record-versions`. */
  readonly recordVersions?: boolean
}

/** A run after configuration, rendering and parsing, before the manifests' placeholders are touched. */
export interface PreparedRun {
  readonly manifests: readonly Manifest[]
  readonly planOptions: PlanOptions
  /** `AVP_RECORD_VERSIONS` and `--no-record-versions` together. */
  readonly recordVersions: boolean
  /** `AVP_TYPE` as configured, or undefined when none is set. */
  readonly backendType: string | undefined
  readonly resolver: SecretResolver
  /** The substituter that already resolved the Helm values files. */
  readonly substitute: Substituter
}

/**
 * Configuration, input (rendered or read) and parsing: the first half of the
 * pipeline, the same for every command that renders an app, so `plan` sees
 * exactly the manifests `generate` would substitute. Throws on any problem.
 */
export async function prepareRun(
  options: RunInput,
  io: Io,
  redactor: Redactor,
  log: DebugLog,
): Promise<PreparedRun> {
  const started = Date.now()
  const settings = await loadSettings({
    env: io.env,
    settingPrefixes: settingPrefixes(),
    cwd: io.cwd,
    log,
    redactor,
    signal: io.signal,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
    ...(options.secretName === undefined ? {} : { secretName: options.secretName }),
  })
  const { pathValidation, deadlineMs, recordVersions } = commonOptions(settings)
  const planOptions = pathValidation === undefined ? {} : { pathValidation }
  // One deadline for the whole run, inside Argo CD's 60 s call (contracts.md §1.7).
  const signal = AbortSignal.any([io.signal, deadlineSignal(deadlineMs)])
  // Every in-flight request listens for the abort; with bounded concurrency in
  // the dozens, Node's default of 10 listeners would print a leak warning on
  // stderr, which Argo CD shows to users.
  setMaxListeners(0, signal)
  // The repository the run reads and renders: helm and kustomize may print any file in it.
  const workspace = repoRootOf(
    options.path === '-' ? io.cwd : path.resolve(io.cwd, options.path),
    io.env,
  )
  const stub = options.stub === true
  const resolver = new SecretResolver(
    stub ? undefined : selectBackend(settings),
    {
      log,
      redactor,
      env: io.env,
      cwd: io.cwd,
      disableTokenCache: options.disableTokenCache,
      canStoreIn: async (dir) => !(await isWithinReal(dir, workspace)),
    },
    { signal, deadlineMs },
  )
  const substitute = stub
    ? stubSubstituter(planOptions, log)
    : resolvingSubstituter(planOptions, resolver, redactor, log)

  const inputs = await readInputs(options, io, {
    signal,
    deadlineAt: started + deadlineMs,
    log,
    resolveValues: valuesResolver(substitute),
    refusedParams: (names) => appParamIssues(readAppPolicy(io.env), names),
  })
  const parsed = parseManifests(inputs)
  for (const skip of parsed.skipped) {
    log({
      kind: 'skip-document',
      source: `${skip.source}#${String(skip.index)}`,
      reason: skip.reason,
    })
  }
  log({ kind: 'input', files: inputs.length, documents: parsed.manifests.length })
  if (parsed.problems.length > 0) throw problemsError(parsed.problems)
  const type = settings.get('AVP_TYPE')?.trim()
  return {
    manifests: parsed.manifests,
    planOptions,
    recordVersions: recordVersions && options.recordVersions !== false,
    backendType: type === undefined || type === '' ? undefined : type,
    resolver,
    substitute,
  }
}

async function readInputs(
  options: RunInput,
  io: Io,
  render: {
    signal: AbortSignal
    deadlineAt: number
    log: DebugLog
    resolveValues: (text: string, source: string) => Promise<string>
    refusedParams: (names: readonly string[]) => readonly string[]
  },
): Promise<InputText[]> {
  if (options.path === '-') {
    return [{ source: '<stdin>', text: await io.readStdin(), skipNonObjects: false }]
  }
  return renderApp({
    appDir: path.resolve(io.cwd, options.path),
    displayPath: options.path,
    mode: options.render,
    env: io.env,
    ...render,
  })
}

/** Problems in report order (file, document, field), as one error. */
export function problemsError(problems: readonly Problem[]): ProblemsError {
  return new ProblemsError([...problems].sort(compareProblems))
}

/**
 * Aborts with a `TimeoutError` after `ms`, like `AbortSignal.timeout`, but
 * held strongly by its own timer. `AbortSignal.any` holds its sources weakly,
 * so a bare `AbortSignal.timeout` inside it can be garbage-collected before it
 * fires (seen with the GCP client's allocations: the deadline never came), and
 * the run then outlives Argo CD's timeout. The timer is unref'd: it keeps no
 * finished run alive.
 */
function deadlineSignal(ms: number): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort(
      new DOMException(`the run deadline of ${String(ms)} ms passed`, 'TimeoutError'),
    )
  }, ms).unref()
  return controller.signal
}
