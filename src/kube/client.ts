import { readFile as fsReadFile } from 'node:fs/promises'
import { jsonRequest, type JsonAnswer } from '../http/json-request'
import type { RegisterSecret } from '../secrets/redact'
import { inClusterTarget, readServiceAccount, type ApiTarget } from './in-cluster'

/**
 * The few Kubernetes API calls this plugin makes, authenticated with the
 * pod's service account. Every call resolves to data and never rejects;
 * nothing it returns holds the token.
 */
export interface KubeClient {
  readonly target: ApiTarget
  /** GET of one object or one page of a list; `path` starts with `/api/` or `/apis/`. */
  get(path: string, signal?: AbortSignal): Promise<JsonAnswer>
  /**
   * GET of one object's metadata only (`PartialObjectMetadata`): the API
   * server leaves out `data`, `spec` and `status`, so a Secret's values never
   * reach this process.
   */
  getMetadata(path: string, signal?: AbortSignal): Promise<JsonAnswer>
  /**
   * Every item of a collection (`/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`),
   * page by page (`limit` and `continue`), or the first answer that was not a 200 list.
   */
  list(path: string, signal?: AbortSignal): Promise<KubeList>
  /** A JSON merge patch (RFC 7386) of one object. */
  mergePatch(path: string, patch: unknown, signal?: AbortSignal): Promise<JsonAnswer>
}

export type KubeList =
  | { readonly ok: true; readonly items: readonly unknown[] }
  | { readonly ok: false; readonly answer: JsonAnswer }

/** Asks the API server for `metadata` alone (server-side `PartialObjectMetadata`, Kubernetes 1.15+). */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'

/** Items per page of a list: bounds each answer, as kubectl does. */
export const LIST_PAGE_SIZE = 100

export interface KubeClientLimits {
  readonly timeoutMs: number
  /** Largest answer buffered; a Secret is at most 1 MiB, a page of a list more. */
  readonly maxResponseBytes: number
}

/** A client for `target` with the service account's token and CA. */
export function kubeClient(
  target: ApiTarget,
  account: { readonly token: string; readonly ca: string },
  limits: KubeClientLimits,
): KubeClient {
  const call = (
    method: 'GET' | 'PATCH',
    path: string,
    signal: AbortSignal | undefined,
    extra: { readonly patch?: unknown; readonly accept?: string } = {},
  ): Promise<JsonAnswer> => {
    const { patch, accept } = extra
    return jsonRequest({
      method,
      url: new URL(path, `https://${target.api}`),
      headers: {
        Authorization: `Bearer ${account.token}`,
        ...(accept === undefined ? {} : { Accept: accept }),
        ...(patch === undefined ? {} : { 'Content-Type': 'application/merge-patch+json' }),
      },
      ...(patch === undefined ? {} : { body: patch }),
      ca: account.ca,
      timeoutMs: limits.timeoutMs,
      maxResponseBytes: limits.maxResponseBytes,
      ...(signal === undefined ? {} : { signal }),
    })
  }
  const list = async (path: string, signal: AbortSignal | undefined): Promise<KubeList> => {
    const items: unknown[] = []
    let next: string | undefined
    do {
      const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) })
      if (next !== undefined) query.set('continue', next)
      const answer = await call('GET', `${path}?${query.toString()}`, signal)
      const page = answer.ok && answer.status === 200 ? pageOf(answer.body) : undefined
      if (page === undefined) return { ok: false, answer }
      items.push(...page.items)
      next = page.next
    } while (next !== undefined)
    return { ok: true, items }
  }
  return {
    target,
    get: (path, signal) => call('GET', path, signal),
    getMetadata: (path, signal) => call('GET', path, signal, { accept: METADATA_ONLY }),
    list,
    mergePatch: (path, patch, signal) => call('PATCH', path, signal, { patch }),
  }
}

export interface InClusterDeps {
  /** The sidecar's own environment: `KUBERNETES_SERVICE_HOST/PORT`, `AVP_SERVICE_ACCOUNT_DIR`. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly readFile?: (p: string) => Promise<string>
  /** The token is reported here as soon as it is read (write-only; the pipeline holds the redactor). */
  readonly registerSecret: RegisterSecret
}

/**
 * The pod's own API server and service account, like client-go's
 * `InClusterConfig`. Found in the sidecar's environment, never in a setting,
 * so an Application cannot send the token elsewhere (config/app-policy.ts).
 * Issues carry no key prefix; callers add theirs.
 */
export async function connectInCluster(
  deps: InClusterDeps,
  limits: KubeClientLimits,
): Promise<
  | { readonly ok: true; readonly client: KubeClient }
  | { readonly ok: false; readonly failures: readonly string[] }
> {
  const target = inClusterTarget(deps.env)
  if ('failure' in target) return { ok: false, failures: [target.failure] }
  const readFile = deps.readFile ?? ((p: string) => fsReadFile(p, 'utf8'))
  const account = await readServiceAccount(target.dir, readFile)
  if ('failures' in account) return { ok: false, failures: account.failures }
  deps.registerSecret(account.token)
  return { ok: true, client: kubeClient(target, account, limits) }
}

/** A list page's items and continue token; undefined when the body is not a list. */
function pageOf(
  body: unknown,
): { items: readonly unknown[]; next: string | undefined } | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { items, metadata } = body as { items?: unknown; metadata?: unknown }
  // Go marshals an empty slice as null.
  const list = items === null ? [] : items
  if (!Array.isArray(list)) return undefined
  const token =
    typeof metadata === 'object' && metadata !== null
      ? (metadata as { continue?: unknown }).continue
      : undefined
  return { items: list, next: typeof token === 'string' && token !== '' ? token : undefined }
}
