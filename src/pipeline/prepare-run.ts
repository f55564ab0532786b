import { setMaxListeners } from 'node:events'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { selectBackend, settingPrefixes } from '../backends/registry'
import { appParamIssues, readAppPolicy } from '../config/app-policy'
import { commonOptions } from '../config/common'
import { loadSettings } from '../config/load'
import type { Settings } from '../config/settings'
import { readScopePolicy } from '../config/scope-policy'
import { compareProblems, ProblemsError, type Problem } from '../errors'
import type { Manifest } from '../input/manifest'
import { parseManifestsPaced } from '../input/parse'
import type { InputText } from '../input/types'
import type { Io } from '../io'
import type { DebugLog } from '../log'
import { paceFor, type Pace } from '../pace'
import type { PlanOptions } from '../placeholders'
import { placeholderLikeStrings } from '../placeholders/substituted'
import { prepareRender, runRender, type RenderMode, type RenderRequest } from '../render/render-app'
import { RENDER_PARAM_NAMES } from '../render/param-names'
import { isWithinReal, repoRootOf } from '../render/safe-path'
import type { Redactor, RegisterSecret } from '../secrets/redact'
import { appIdentityOf, pathScopeFor } from './path-scope'
import { SecretResolver } from './secret-resolver'
import { resolvingSubstituter, stubSubstituter, type Substituter } from './substitute'
import { resolveHelmValues, valuesResolver } from './values'

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
  /** The plan options for the manifests: what the Helm values received is never resolved again. */
  readonly planOptions: PlanOptions
  /** `AVP_RECORD_VERSIONS` and `--no-record-versions` together. */
  readonly recordVersions: boolean
  /** `AVP_TYPE` as configured, or undefined when none is set. */
  readonly backendType: string | undefined
  readonly resolver: SecretResolver
  /** Substitutes the manifests: resolved through the backend, or stubbed. */
  readonly substitute: Substituter
  /** Gives the event loop a turn between CPU-bound phases; stops at the deadline or on SIGTERM. */
  readonly pace: Pace
  /** Registers a revealed value with the run's redactor. */
  readonly registerSecret: RegisterSecret
}

/**
 * Configuration, input (rendered or read) and parsing: the first half of the
 * pipeline, the same for every command that renders an app, so `plan` sees
 * exactly the manifests `generate` would substitute. Throws on any problem.
 *
 * The pipeline is the only writer of the run's `redactor`: config and the
 * backend get a write-only `RegisterSecret`, and every revealed value is
 * registered by the substitute step.
 */
export async function prepareRun(
  options: RunInput,
  io: Io,
  redactor: Redactor,
  log: DebugLog,
): Promise<PreparedRun> {
  const started = Date.now()
  const registerSecret = writeOnly(redactor)
  const settings = await loadRunSettings(options, io, registerSecret, log)
  const { pathValidation, deadlineMs, maxInputBytes, recordVersions } = commonOptions(settings)
  const type = settings.get('AVP_TYPE')?.trim()
  const backendType = type === undefined || type === '' ? undefined : type
  // Checked in the plan phase of every pass (Helm values, manifests), `--stub`
  // included: a reference outside it is refused before any backend call.
  const policy = await readScopePolicy(settings, (p) => readFile(p, 'utf8'))
  const stub = options.stub === true
  const backend = stub ? undefined : selectBackend(settings)
  const planOptions: PlanOptions = {
    ...(pathValidation === undefined ? {} : { pathValidation }),
    ...(policy === undefined
      ? {}
      : { scope: pathScopeFor(policy, appIdentityOf(io.env), backendType) }),
    ...(backend?.refPerKey === true ? { refPerKey: true } : {}),
  }
  // One deadline for the whole run, inside Argo CD's 60 s call (docs/design/argocd-cmp-contract.md).
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
  const resolver = new SecretResolver(
    backend?.create,
    {
      log,
      registerSecret,
      env: io.env,
      cwd: io.cwd,
      disableTokenCache: options.disableTokenCache,
      canStoreIn: async (dir) => !(await isWithinReal(dir, workspace)),
    },
    { signal, deadlineMs },
  )
  const substituterFor = (forPlan: PlanOptions, onReveal?: (value: unknown) => void) =>
    stub
      ? stubSubstituter(forPlan, log)
      : resolvingSubstituter(forPlan, resolver, registerSecret, log, onReveal)

  const fromValues = new Set<string>()
  const valuesSubstituter = substituterFor(planOptions, (value) => {
    placeholderLikeStrings(value, fromValues)
  })
  const inputs = await readInputs(
    options,
    io,
    { signal, deadlineAt: started + deadlineMs, log },
    valuesResolver(valuesSubstituter),
  )
  checkInputSize(inputs, maxInputBytes)
  // Parsing, substitution and printing are CPU-bound: the pace gives the
  // event loop a turn between documents so SIGTERM and the deadline stop them.
  const pace = paceFor(signal, started + deadlineMs)
  const parsed = await parseManifestsPaced(inputs, pace)
  for (const skip of parsed.skipped) {
    log({
      kind: 'skip-document',
      source: `${skip.source}#${String(skip.index)}`,
      reason: skip.reason,
    })
  }
  log({ kind: 'input', files: inputs.length, documents: parsed.manifests.length })
  if (parsed.problems.length > 0) throw problemsError(parsed.problems)

  // One pass: what the Helm values received is never resolved again in the manifests.
  const manifestOptions = { ...planOptions, substituted: [...fromValues] }
  return {
    manifests: parsed.manifests,
    planOptions: manifestOptions,
    recordVersions: recordVersions && options.recordVersions !== false,
    backendType,
    resolver,
    substitute: substituterFor(manifestOptions),
    pace,
    registerSecret,
  }
}

/** The redactor's write-only side, for config and the backend. */
export function writeOnly(redactor: Redactor): RegisterSecret {
  return (value) => {
    redactor.add(value)
  }
}

/** The run's settings from the environment, `--config-path` and `--secret-name`; every command reads them so. */
export function loadRunSettings(
  options: Pick<RunInput, 'configPath' | 'secretName'>,
  io: Io,
  registerSecret: RegisterSecret,
  log: DebugLog,
): Promise<Settings> {
  return loadSettings({
    env: io.env,
    settingPrefixes: settingPrefixes(),
    cwd: io.cwd,
    log,
    registerSecret,
    signal: io.signal,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
    ...(options.secretName === undefined ? {} : { secretName: options.secretName }),
  })
}

/**
 * Refuses input over `AVP_MAX_INPUT_BYTES` before it is parsed: one huge
 * document cannot be interrupted while the parser works on it.
 */
function checkInputSize(inputs: readonly InputText[], maxBytes: number): void {
  let total = 0
  for (const input of inputs) total += Buffer.byteLength(input.text, 'utf8')
  if (total <= maxBytes) return
  throw problemsError([
    {
      code: 'INPUT_INVALID',
      message: `the input is ${String(total)} bytes, more than the ${String(maxBytes)} allowed (AVP_MAX_INPUT_BYTES)`,
    },
  ])
}

/**
 * Read and render: stdin as it is, or the app directory rendered. A chart's
 * values-file placeholders are resolved here, between preparing the render
 * and running it, so the flow stays one-way: rendering never calls back.
 */
async function readInputs(
  options: RunInput,
  io: Io,
  run: { readonly signal: AbortSignal; readonly deadlineAt: number; readonly log: DebugLog },
  resolveValuesText: (text: string, source: string) => Promise<string>,
): Promise<InputText[]> {
  if (options.path === '-') {
    return [{ source: '<stdin>', text: await io.readStdin(), skipNonObjects: false }]
  }
  const req: RenderRequest = {
    appDir: path.resolve(io.cwd, options.path),
    displayPath: options.path,
    mode: options.render,
    env: io.env,
    refusedParams: (names) => appParamIssues(readAppPolicy(io.env), names, RENDER_PARAM_NAMES),
    ...run,
  }
  const job = await prepareRender(req)
  const ready =
    job.kind === 'helm'
      ? { ...job, values: await resolveHelmValues(job.values, resolveValuesText) }
      : job
  return runRender(ready, req)
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
export function deadlineSignal(ms: number): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort(
      new DOMException(`the run deadline of ${String(ms)} ms passed`, 'TimeoutError'),
    )
  }, ms).unref()
  return controller.signal
}
