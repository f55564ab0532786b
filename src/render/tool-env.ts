import fs from 'node:fs/promises'
import path from 'node:path'

type Env = Readonly<Record<string, string | undefined>>

/**
 * Variables a render tool may see. Everything else is dropped: the backend
 * configuration (`VAULT_*`, `AWS_*`, `AVP_*`), the Application's `ARGOCD_ENV_*`
 * and `PARAM_*` (options reach the tools as flags), `KUBE_*` (passed as flags) and
 * `KUBECONFIG`/`KUBERNETES_SERVICE_*`, so `helm template` can never talk to a
 * cluster. `HELM_KUBETOKEN` and friends are credentials, hence the explicit list.
 */
const PASS_EXACT: ReadonlySet<string> = new Set([
  'PATH',
  'HOME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  // Custom CA bundles, needed to pull chart dependencies through TLS-inspecting proxies.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // The operator's proxy for fetching chart dependencies; not a backend credential.
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  // Helm's directories only (paths, no tokens).
  'HELM_CACHE_HOME',
  'HELM_CONFIG_HOME',
  'HELM_DATA_HOME',
  'HELM_PLUGINS',
  'HELM_REGISTRY_CONFIG',
  'HELM_REPOSITORY_CACHE',
  'HELM_REPOSITORY_CONFIG',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'KUSTOMIZE_PLUGIN_HOME',
])

/** True when a variable may be passed to helm or kustomize. */
export function isAllowedToolVar(name: string): boolean {
  return PASS_EXACT.has(name) || name.startsWith('LC_')
}

/** The allow-listed subset of `env`, with `overrides` applied on top. */
export function toolEnv(
  env: Env,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isAllowedToolVar(name)) out[name] = value
  }
  return { ...out, ...overrides }
}

/**
 * HOME and Helm's directories for the tools. In the sidecar the plugin runs as
 * uid 999, which usually has no passwd entry and no writable home
 * (docs/design/argocd-cmp-contract.md), and helm refuses to run without writable cache/config
 * dirs. A HOME that exists or can be created is kept; otherwise a home under the
 * run's private temp dir is used, with Helm's three directories inside it.
 */
export async function homeOverrides(env: Env, privateDir: string): Promise<Record<string, string>> {
  const home = env['HOME']
  if (home !== undefined && home !== '' && (await isWritableDir(home))) return {}
  const fallback = path.join(privateDir, 'home')
  await fs.mkdir(fallback, { recursive: true, mode: 0o700 })
  const overrides: Record<string, string> = { HOME: fallback }
  const helmDirs = {
    HELM_CACHE_HOME: '.cache/helm',
    HELM_CONFIG_HOME: '.config/helm',
    HELM_DATA_HOME: '.local/share/helm',
  }
  for (const [name, rel] of Object.entries(helmDirs)) {
    if (env[name] === undefined || env[name] === '') overrides[name] = path.join(fallback, rel)
  }
  return overrides
}

async function isWritableDir(dir: string): Promise<boolean> {
  try {
    // Only the last level is created (the image's HOME under an empty /tmp); a
    // recursive mkdir could create anything, and loops forever under /proc.
    await fs.mkdir(dir).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    })
    await fs.access(dir, fs.constants.W_OK | fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}
