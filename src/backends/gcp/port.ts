// The only file that imports the GCP client library. It is reached only
// through `entry.load()`, so other backends never load it.
import { SecretManagerServiceClient } from '@google-cloud/secret-manager'
import { endpointFor, type GcpConfig, type GcpEndpoint } from './config'
import {
  GcpCallError,
  GRPC_STATUSES,
  type GcpCallFacts,
  type GrpcStatus,
  type SecretManagerPort,
} from './port-types'

/** The client's call, reached directly: it returns a cancellable promise (see below). */
type AccessCall = (
  request: { name: string },
  options: { maxRetries: number; otherArgs: { headers: Record<string, string> } },
) => Promise<[{ payload?: { data?: Uint8Array | string | null } | null }]> & { cancel(): void }

/**
 * Builds the port on the REST transport (`fallback: true`, HTTP/1.1 JSON):
 * the client sets up in ~18 ms instead of ~80 ms for gRPC (proto loading),
 * goes through ordinary HTTPS proxies, and is what our loopback fake
 * speaks (docs/backends/gcp.md, "Transport").
 *
 * Calls go through `innerApiCalls` rather than `accessSecretVersion()`:
 * the public method logs the whole response, payload included, when
 * `GOOGLE_SDK_NODE_LOGGING` is set, and returns a promise that cannot be
 * cancelled (the REST transport ignores the `timeout` call option).
 */
export function createSdkPort(config: GcpConfig): SecretManagerPort {
  // One client per endpoint: the global one, and one per location of regional secrets.
  const clients = new Map<
    string,
    { client: SecretManagerServiceClient; ready?: Promise<unknown> }
  >()
  return {
    async access(name, signal) {
      const endpoint = endpointFor(config, locationOf(name))
      const apiHost = endpoint.host
      let entry = clients.get(apiHost)
      if (entry === undefined) {
        entry = { client: newClient(config, endpoint, name.split('/')[1] ?? '') }
        clients.set(apiHost, entry)
      }
      const client = entry.client
      try {
        entry.ready ??= client.initialize()
        await entry.ready
      } catch (err) {
        throw new GcpCallError(credentialFacts(err, signal))
      }
      if (signal.aborted) throw new GcpCallError({ aborted: true })
      const call = (client.innerApiCalls['accessSecretVersion'] as AccessCall)(
        { name },
        {
          maxRetries: 0, // the backend retries, within the run's deadline
          otherArgs: { headers: { 'x-goog-request-params': `name=${encodeURIComponent(name)}` } },
        },
      )
      const cancel = (): void => {
        call.cancel()
      }
      signal.addEventListener('abort', cancel, { once: true })
      try {
        const [response] = await call
        const data = response.payload?.data
        return typeof data === 'string' ? Buffer.from(data, 'base64') : (data ?? new Uint8Array())
      } catch (err) {
        throw new GcpCallError(callFacts(err, signal, apiHost))
      } finally {
        signal.removeEventListener('abort', cancel)
      }
    },
  }
}

/** `us-central1` of `projects/p/locations/us-central1/secrets/s/versions/v`. */
function locationOf(name: string): string | undefined {
  return /^projects\/[^/]+\/locations\/([^/]+)\//.exec(name)?.[1]
}

function newClient(
  config: GcpConfig,
  endpoint: GcpEndpoint,
  project: string,
): SecretManagerServiceClient {
  return new SecretManagerServiceClient({
    fallback: true,
    // Given, so the auth library never guesses it: its guess runs
    // `gcloud config config-helper` through a shell (about a second, and a
    // child process we do not want). Every request names its project anyway.
    projectId: project,
    apiEndpoint: endpoint.host,
    port: endpoint.port,
    protocol: endpoint.protocol,
    ...(config.credentialsFile === undefined ? {} : { keyFilename: config.credentialsFile }),
  })
}

interface RawError {
  name?: unknown
  code?: unknown
  status?: unknown
  message?: unknown
  config?: { url?: unknown }
}

function raw(err: unknown): RawError {
  return typeof err === 'object' && err !== null ? err : {}
}

/** A failure while loading credentials (before any call). Messages are read, never kept. */
function credentialFacts(err: unknown, signal: AbortSignal): GcpCallFacts {
  const e = raw(err)
  const message = typeof e.message === 'string' ? e.message : ''
  const networkCode = networkCodeOf(e.code)
  if (message.startsWith('Could not load the default credentials')) {
    return { credentials: 'missing', aborted: signal.aborted }
  }
  return {
    credentials: 'unreadable',
    ...(networkCode === undefined ? {} : { networkCode }),
    aborted: signal.aborted,
  }
}

/**
 * Keeps only allow-listed facts of a failed call. An HTTP error from the API
 * carries its JSON body as the message; its `status` word and, for
 * FAILED_PRECONDITION, the version state are read from it and the rest is
 * dropped. An HTTP error from any other host came from the token source.
 */
function callFacts(err: unknown, signal: AbortSignal, apiHost: string): GcpCallFacts {
  const e = raw(err)
  const aborted = signal.aborted
  const message = typeof e.message === 'string' ? e.message : ''
  if (message.startsWith('Could not load the default credentials')) {
    return { credentials: 'missing', aborted }
  }
  const httpStatus = typeof e.status === 'number' ? e.status : undefined
  const networkCode = networkCodeOf(e.code)
  const base = {
    aborted,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(networkCode === undefined ? {} : { networkCode }),
  }
  const host = hostOf(e.config?.url)
  if (host !== undefined && host !== apiHost) return { ...base, credentials: 'refused' }
  if (e.name === 'SyntaxError') return { ...base, malformed: true }
  const body = apiError(message)
  if (body === undefined) return base
  const state =
    body.status === 'FAILED_PRECONDITION' ? /\b(DISABLED|DESTROYED)\b/.exec(body.text) : null
  return {
    ...base,
    ...(body.status === undefined ? {} : { status: body.status }),
    ...(state?.[1] === 'DISABLED' || state?.[1] === 'DESTROYED' ? { versionState: state[1] } : {}),
  }
}

function apiError(message: string): { status?: GrpcStatus; text: string } | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(message)
  } catch {
    return undefined
  }
  const error = (parsed as { error?: { status?: unknown; message?: unknown } } | null)?.error
  if (typeof error !== 'object') return undefined
  const status = GRPC_STATUSES.find((s) => s === error.status)
  const text = typeof error.message === 'string' ? error.message : ''
  return status === undefined ? { text } : { status, text }
}

function networkCodeOf(code: unknown): string | undefined {
  return typeof code === 'string' && /^E[A-Z_]{2,30}$/.test(code) ? code : undefined
}

function hostOf(url: unknown): string | undefined {
  if (url instanceof URL) return url.hostname
  if (typeof url !== 'string') return undefined
  try {
    return new URL(url).hostname
  } catch {
    return undefined
  }
}
