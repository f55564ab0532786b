/**
 * A fake Argo CD repo-server + CMP sidecar (docs/design/argocd-cmp-contract.md): it reads
 * plugin.yaml, copies the repository into a fresh work dir, builds the request
 * environment exactly as docs/design/argocd-cmp-contract.md describes, runs `init` then `generate` as argv
 * arrays (no shell) with cwd = the app directory and stdin closed, enforces the
 * deadline as the real sidecar does (SIGKILL to the process, SIGTERM to its
 * group, SIGKILL to the group 5 s later), and judges stdout as Argo CD does
 * (docs/design/argocd-cmp-contract.md). The checkout is what the sidecar untars: the whole repository with
 * `.git`, every file mode 0644 and every directory 0755.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { judgeOutput, type K8sObject } from './argocd-output'
import { CLI_PATH } from './run-cli'
import { toolsPath } from './tools'

export const PLUGIN_YAML = path.resolve(__dirname, '../../plugin.yaml')

/** The parts of `spec.source.plugin` that reach the plugin. */
export interface PluginSource {
  readonly name?: string
  readonly env?: readonly { readonly name: string; readonly value: string }[]
  /** `null` models an Application that sets no parameters (ARGOCD_APP_PARAMETERS=null). */
  readonly parameters?: readonly PluginParameter[] | null
}

export interface PluginParameter {
  readonly name: string
  readonly string?: string
  readonly array?: readonly string[]
  readonly map?: Readonly<Record<string, string>>
}

export interface AppSpec {
  /** Directory copied as the repository root. */
  readonly repoDir: string
  /** `spec.source.path`, relative to the repository root. */
  readonly path: string
  readonly name: string
  /** The Application's own namespace; not the control plane's → `ARGOCD_APP_NAME=<ns>_<name>`. */
  readonly appNamespace?: string
  readonly destinationNamespace?: string
  /** The AppProject (`ARGOCD_APP_PROJECT_NAME`); `default` unless set. */
  readonly project?: string
  readonly revision?: string
  readonly kubeVersion?: string
  readonly apiVersions?: readonly string[]
  /** `undefined` = no plugin block (discovery only): no ARGOCD_ENV_*, no parameters. */
  readonly plugin?: PluginSource
}

export interface SidecarOptions {
  /** Extra sidecar env: the backend configuration (AVP_TYPE, AVP_FILE_PATH, …). */
  readonly env?: Readonly<Record<string, string>>
  /** PATH of the sidecar; defaults to the pinned tools and the system PATH. */
  readonly path?: string
  /** The repo-server call deadline, 60 s by default (docs/design/argocd-cmp-contract.md). */
  readonly deadlineMs?: number
}

export type GenerateResult =
  | { readonly ok: true; readonly manifests: K8sObject[]; readonly stderr: string }
  | {
      readonly ok: false
      readonly error: string
      readonly stdout: string
      readonly stderr: string
      readonly exitCode: number | null
    }

interface Command {
  readonly command: readonly string[]
  readonly args?: readonly string[]
}

interface PluginConfig {
  readonly name: string
  readonly init?: Command
  readonly generate: Command
  readonly discover?: unknown
  readonly dynamic?: Command
  readonly static: readonly unknown[]
}

const CONTROL_PLANE_NAMESPACE = 'argocd'

/** Reads plugin.yaml and applies the sidecar's start-up validation (docs/design/argocd-cmp-contract.md). */
export function loadPluginConfig(file = PLUGIN_YAML): PluginConfig {
  const doc = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  const metadata = doc['metadata'] as Record<string, unknown> | undefined
  const spec = (doc['spec'] ?? {}) as Record<string, unknown>
  if (doc['kind'] !== 'ConfigManagementPlugin')
    throw new Error('plugin.yaml: kind must be ConfigManagementPlugin')
  const name = metadata?.['name']
  if (typeof name !== 'string' || name === '')
    throw new Error('plugin.yaml: metadata.name is required')
  const generate = spec['generate'] as Command | undefined
  if (generate === undefined || generate.command.length === 0) {
    throw new Error('plugin.yaml: spec.generate.command is required')
  }
  const version = spec['version']
  const params = (spec['parameters'] ?? {}) as Record<string, unknown>
  return {
    name: typeof version === 'string' && version !== '' ? `${name}-${version}` : name,
    ...(spec['init'] === undefined ? {} : { init: spec['init'] as Command }),
    generate,
    discover: spec['discover'],
    ...(params['dynamic'] === undefined ? {} : { dynamic: params['dynamic'] as Command }),
    static: (params['static'] ?? []) as unknown[],
  }
}

/** A directory with `argocd-secret-plugin` → `node dist/cli.cjs`, to put first on PATH. */
export function cliWrapperDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asp-bin-'))
  const wrapper = path.join(dir, 'argocd-secret-plugin')
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`, {
    mode: 0o755,
  })
  return dir
}

/** The sidecar's own environment: what the image sets, plus the backend configuration. */
export function sidecarEnv(options: SidecarOptions, wrapperDir: string): Record<string, string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asp-sidecar-'))
  // As in the Dockerfile: HOME under /tmp, not created yet (uid 999 has no home).
  const home = path.join(tmp, 'argocd-secret-plugin-home')
  return {
    PATH: `${wrapperDir}${path.delimiter}${options.path ?? toolsPath()}`,
    HOME: home,
    HELM_CACHE_HOME: path.join(home, '.cache/helm'),
    HELM_CONFIG_HOME: path.join(home, '.config/helm'),
    HELM_DATA_HOME: path.join(home, '.local/share/helm'),
    TMPDIR: tmp,
    ...options.env,
  }
}

/** `ESC(x)` of docs/design/argocd-cmp-contract.md. */
export function esc(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
}

/** The build environment of docs/design/argocd-cmp-contract.md (without the sidecar's own env). */
export function buildEnv(app: AppSpec): Record<string, string> {
  const revision = app.revision ?? '0123456789abcdef0123456789abcdef01234567'
  const appNs = app.appNamespace ?? CONTROL_PLANE_NAMESPACE
  const env: Record<string, string> = {
    ARGOCD_APP_NAME: appNs === CONTROL_PLANE_NAMESPACE ? app.name : `${appNs}_${app.name}`,
    ARGOCD_APP_NAMESPACE: app.destinationNamespace ?? '',
    ARGOCD_APP_PROJECT_NAME: app.project ?? 'default',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/org/repo.git',
    ARGOCD_APP_SOURCE_PATH: app.path,
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
    KUBE_VERSION: app.kubeVersion ?? '1.30.4',
    KUBE_API_VERSIONS: [...(app.apiVersions ?? DEFAULT_API_VERSIONS)].sort().join(','),
  }
  if (app.plugin === undefined) return env
  for (const item of app.plugin.env ?? [])
    env[`ARGOCD_ENV_${item.name}`] = envsubst(item.value, env)
  return { ...env, ...parameterEnv(app.plugin.parameters ?? null) }
}

const DEFAULT_API_VERSIONS = ['v1', 'v1/ConfigMap', 'v1/Secret', 'apps/v1', 'apps/v1/Deployment']

/** `$VAR` / `${VAR}` from the build env, unknown ones empty, `$$` a literal `$` (Argo CD `Env.Envsubst`). */
export function envsubst(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, a, b) => (m === '$$' ? '$' : (env[(a ?? b) as string] ?? '')),
  )
}

/**
 * ARGOCD_APP_PARAMETERS and PARAM_* (docs/design/argocd-cmp-contract.md). An empty list is
 * dropped when the Application is stored (`omitempty`), so `parameters: []`
 * reaches the plugin as `null`, like no parameters at all.
 */
export function parameterEnv(
  parameters: readonly PluginParameter[] | null,
): Record<string, string> {
  const stored = parameters === null || parameters.length === 0 ? null : parameters
  const env: Record<string, string> = { ARGOCD_APP_PARAMETERS: JSON.stringify(stored) }
  for (const p of parameters ?? []) {
    const base = `PARAM_${esc(p.name)}`
    if (p.string !== undefined) env[base] = p.string
    p.array?.forEach((item, i) => (env[`${base}_${String(i)}`] = item))
    for (const [k, v] of Object.entries(p.map ?? {})) env[`${base}_${esc(k)}`] = v
  }
  return env
}

/** Copies the repository into a fresh `_cmp_server/<random>` work dir and returns the app dir. */
export function checkoutApp(app: AppSpec): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), '_cmp_server-'))
  const repo = path.join(work, 'repo')
  // Argo CD's tar stream keeps symlinks as written; Node's default would make them absolute.
  fs.cpSync(app.repoDir, repo, { recursive: true, verbatimSymlinks: true })
  addGitDir(repo)
  normalizeModes(repo)
  const appDir = path.join(repo, app.path)
  if (!fs.statSync(appDir).isDirectory()) throw new Error(`app path ${app.path} is not a directory`)
  return appDir
}

/** The repository's `.git`, which the sidecar receives unless an operator excludes it. */
function addGitDir(repo: string): void {
  const git = path.join(repo, '.git')
  if (fs.existsSync(git)) return
  fs.mkdirSync(path.join(git, 'refs/heads'), { recursive: true })
  fs.writeFileSync(path.join(git, 'HEAD'), 'ref: refs/heads/main\n')
  fs.writeFileSync(path.join(git, 'config'), '[core]\n\tbare = false\n')
  fs.writeFileSync(path.join(git, 'refs/heads/main'), '0123456789abcdef0123456789abcdef01234567\n')
  // Not a manifest: a file under .git must never be read as one.
  fs.writeFileSync(path.join(git, 'stray.yaml'), 'not: [a manifest\n')
}

/** `preserveFileMode: false`: files 0644, directories 0755 (docs/design/argocd-cmp-contract.md). */
function normalizeModes(dir: string): void {
  fs.chmodSync(dir, 0o755)
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) normalizeModes(full)
    else if (entry.isFile()) fs.chmodSync(full, 0o644)
  }
}

/** One manifest generation, as the repo server requests it (docs/design/argocd-cmp-contract.md). */
export async function generateManifests(
  app: AppSpec,
  options: SidecarOptions = {},
): Promise<GenerateResult> {
  const plugin = loadPluginConfig()
  if (app.plugin?.name !== undefined && app.plugin.name !== plugin.name) {
    throw new Error(`could not find cmp-server plugin with name "${app.plugin.name}"`)
  }
  if (app.plugin?.name === undefined && plugin.discover === undefined) {
    throw new Error('plugin has no discovery rule: the Application must name it')
  }
  const appDir = checkoutApp(app)
  const env = { ...sidecarEnv(options, cliWrapperDir()), ...buildEnv(app) }
  const deadlineAt = Date.now() + (options.deadlineMs ?? 60_000) - 100
  if (plugin.init !== undefined) {
    const init = await runCommand(plugin.init, appDir, env, deadlineAt)
    if (init.failure !== undefined) return { ok: false, ...init, error: init.failure }
  }
  const run = await runCommand(plugin.generate, appDir, env, deadlineAt)
  if (run.failure !== undefined) return { ok: false, ...run, error: run.failure }
  const judged = judgeOutput(run.stdout)
  if (!judged.ok) return { ok: false, ...run, error: judged.failure }
  return { ok: true, manifests: judged.manifests, stderr: run.stderr }
}

/**
 * The UI's parameter announcement: dynamic items first, then static ones
 * (`getParametersAnnouncement`), with the dynamic command run under the
 * reduced env of docs/design/argocd-cmp-contract.md.
 */
export async function announceParameters(
  app: AppSpec,
  options: SidecarOptions = {},
): Promise<unknown[]> {
  const plugin = loadPluginConfig()
  const appDir = checkoutApp(app)
  // The parameters call names the app without its namespace (`populatePluginAppDetails`).
  const full = { ...buildEnv(app), ARGOCD_APP_NAME: app.name }
  const reduced: Record<string, string> = {}
  for (const [k, v] of Object.entries(full)) {
    if (
      /^(ARGOCD_APP_NAME|ARGOCD_APP_SOURCE_REPO_URL|ARGOCD_APP_SOURCE_PATH|ARGOCD_APP_SOURCE_TARGET_REVISION|ARGOCD_APP_PARAMETERS)$/.test(
        k,
      ) ||
      k.startsWith('ARGOCD_ENV_') ||
      k.startsWith('PARAM_')
    ) {
      reduced[k] = v
    }
  }
  if (plugin.dynamic === undefined) return [...plugin.static]
  const env = { ...sidecarEnv(options, cliWrapperDir()), ...reduced }
  const run = await runCommand(plugin.dynamic, appDir, env, Date.now() + 60_000)
  if (run.failure !== undefined) throw new Error(run.failure)
  const dynamic: unknown = JSON.parse(run.stdout)
  if (!Array.isArray(dynamic)) throw new Error('dynamic parameters: stdout is not a JSON array')
  return [...(dynamic as unknown[]), ...plugin.static]
}

interface CommandResult {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number | null
  readonly failure?: string
}

/**
 * `runCommand` of cmpserver/plugin: argv without a shell. At the deadline the
 * command's context kills the process (SIGKILL), and the sidecar sends SIGTERM
 * to its process group, then SIGKILL to the group 5 s later.
 */
function runCommand(
  cmd: Command,
  cwd: string,
  env: Record<string, string>,
  deadlineAt: number,
): Promise<CommandResult> {
  const argv = [...cmd.command, ...(cmd.args ?? [])]
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv
    if (file === undefined) throw new Error('empty command')
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    let killed = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-(child.pid ?? 0), signal)
      } catch {
        // already gone
      }
    }
    const term = setTimeout(
      () => {
        killed = true
        child.kill('SIGKILL')
        kill('SIGTERM')
      },
      Math.max(0, deadlineAt - Date.now()),
    )
    const hard = setTimeout(
      () => {
        kill('SIGKILL')
      },
      Math.max(0, deadlineAt - Date.now()) + 5000,
    )
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(term)
      clearTimeout(hard)
      // One trailing newline is trimmed (docs/design/argocd-cmp-contract.md).
      const out = stdout.replace(/\n$/, '')
      if (code === 0 && !killed) {
        resolve({ stdout: out, stderr, exitCode: code })
        return
      }
      const status = code === null ? `signal: ${String(signal)}` : `exit status ${String(code)}`
      const failure = `\`${argv.join(' ')}\` failed ${status}: ${stderr.trim()}`
      resolve({ stdout, stderr, exitCode: code, failure })
    })
  })
}

/**
 * The repo server's manifest cache (docs/design/argocd-cmp-contract.md), keyed by revision,
 * plugin block and cluster info: the plugin is not re-run, so a rotated secret
 * is invisible until a hard refresh. Errors are cached too.
 */
export class ManifestCache {
  readonly #entries = new Map<string, GenerateResult>()
  runs = 0

  async generate(
    app: AppSpec,
    options: SidecarOptions,
    hardRefresh = false,
  ): Promise<GenerateResult> {
    const key = JSON.stringify([
      app.revision ?? '',
      app.path,
      app.name,
      app.plugin ?? null,
      app.kubeVersion ?? '',
      app.apiVersions ?? [],
    ])
    const cached = this.#entries.get(key)
    if (cached !== undefined && !hardRefresh) return cached
    this.runs++
    const result = await generateManifests(app, options)
    this.#entries.set(key, result)
    return result
  }
}
