// The only file that imports the Azure SDKs. It is reached only through
// `entry.load()`, so other backends never load them.
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity'
import { SecretClient } from '@azure/keyvault-secrets'
import { retryAfterMs } from '../retry'
import type { RegisterSecret } from '../../secrets/redact'
import type { AzureConfig } from './config'
import { AzureCallError, type AzureCallFacts, type KeyVaultPort } from './port-types'

/**
 * One credential for the run and one `SecretClient` per vault, made on first
 * use. The SDK's own retries are off: the backend retries within the run's
 * deadline (docs/backends/azurekeyvault.md).
 */
export function createSdkPort(config: AzureConfig, registerSecret: RegisterSecret): KeyVaultPort {
  let credential: TokenCredential | undefined
  const clients = new Map<string, SecretClient>()
  const clientFor = (vault: string): SecretClient => {
    let client = clients.get(vault)
    if (client === undefined) {
      credential ??= oneTokenPerRun(newCredential(config), registerSecret)
      client = new SecretClient(config.vaultUrlTemplate.replaceAll('{vault}', vault), credential, {
        retryOptions: { maxRetries: 0 },
        // Key Vault's 401 challenge names the resource a token is asked for;
        // the SDK checks that the vault's host is under it. A vault URL the
        // operator replaced (a test server on 127.0.0.1) is not.
        disableChallengeResourceVerification: config.customVaultUrl,
      })
      clients.set(vault, client)
    }
    return client
  }
  return {
    async getSecret(vault, name, version, signal) {
      try {
        const secret = await clientFor(vault).getSecret(name, {
          ...(version === undefined ? {} : { version }),
          abortSignal: signal,
        })
        if (typeof secret.value !== 'string')
          throw new AzureCallError({ malformed: true, aborted: false })
        return {
          value: secret.value,
          ...(secret.properties.version === undefined
            ? {}
            : { version: secret.properties.version }),
        }
      } catch (err) {
        if (err instanceof AzureCallError) throw err
        throw new AzureCallError(callFacts(err, signal))
      }
    },
  }
}

function newCredential(config: AzureConfig): TokenCredential {
  const cred = config.credential
  // A custom authority (sovereign cloud, test server): its own OpenID
  // configuration is read, and no discovery call goes to the public cloud.
  const authority =
    config.authorityHost === undefined
      ? {}
      : { authorityHost: config.authorityHost, disableInstanceDiscovery: true }
  switch (cred.kind) {
    case 'client-secret':
      return new ClientSecretCredential(
        cred.tenantId,
        cred.clientId,
        cred.secret.reveal(),
        authority,
      )
    case 'client-certificate':
      return new ClientCertificateCredential(
        cred.tenantId,
        cred.clientId,
        {
          certificatePath: cred.certificatePath,
          ...(cred.certificatePassword === undefined
            ? {}
            : { certificatePassword: cred.certificatePassword.reveal() }),
        },
        authority,
      )
    case 'workload-identity':
      return new WorkloadIdentityCredential({
        tenantId: cred.tenantId,
        clientId: cred.clientId,
        tokenFilePath: cred.tokenFilePath,
        ...authority,
      })
    case 'managed-identity':
      return cred.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential({ clientId: cred.clientId })
  }
}

/**
 * Shares one token request among the vault clients: each client asks for a
 * token on its vault's challenge, and two vaults read at once would
 * otherwise both go to Entra ID. A run is shorter than a token's life; a
 * failed request is forgotten, so a retry asks again.
 */
function oneTokenPerRun(
  credential: TokenCredential,
  registerSecret: RegisterSecret,
): TokenCredential {
  const tokens = new Map<string, Promise<AccessToken | null>>()
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      const key = JSON.stringify([scopes, options?.tenantId ?? null, options?.claims ?? null])
      let token = tokens.get(key)
      if (token === undefined) {
        token = credential.getToken(scopes, options).then((got) => {
          // Never printed anyway (the SDK holds it), but registered like every run-time credential.
          if (got !== null) registerSecret(got.token)
          return got
        })
        tokens.set(key, token)
        token.catch(() => tokens.delete(key))
      }
      return token
    },
  }
}

interface RawError {
  name?: unknown
  code?: unknown
  statusCode?: unknown
  details?: { error?: { code?: unknown; innerError?: { code?: unknown } } }
  response?: { headers?: { get?: (name: string) => string | undefined } }
  errorResponse?: { error?: unknown }
}

function raw(err: unknown): RawError {
  return typeof err === 'object' && err !== null ? err : {}
}

const WORD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/

function word(value: unknown): string | undefined {
  return typeof value === 'string' && WORD.test(value) ? value : undefined
}

/**
 * Keeps only allow-listed facts of a failed call: status, Key Vault's error
 * code words, `Retry-After`, a network code, the OAuth error word of a
 * refused token. The message and the request (with its headers) are dropped.
 */
function callFacts(err: unknown, signal: AbortSignal): AzureCallFacts {
  const e = raw(err)
  const aborted = signal.aborted || e.name === 'AbortError'
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError') {
    return { auth: 'unavailable', aborted }
  }
  if (e.name === 'AuthenticationRequiredError') {
    // What the token endpoint refused, from MSAL (`invalid_client: Error(s): …`):
    // only the leading OAuth error word is kept.
    const authError = /^([a-z_]{3,40}):/.exec(messageOf(err))?.[1]
    return { auth: 'refused', ...(authError === undefined ? {} : { authError }), aborted }
  }
  if (e.name === 'AuthenticationError') {
    const authError = word(e.errorResponse?.error)
    const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : undefined
    return {
      auth: 'refused',
      ...(authError === undefined ? {} : { authError }),
      ...(httpStatus === undefined ? {} : { httpStatus }),
      aborted,
    }
  }
  const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : undefined
  const code = word(e.details?.error?.code) ?? (httpStatus === undefined ? undefined : word(e.code))
  const inner = word(e.details?.error?.innerError?.code)
  const networkCode =
    httpStatus === undefined && typeof e.code === 'string' && /^E[A-Z_]{2,30}$/.test(e.code)
      ? e.code
      : undefined
  const retryAfter = retryAfterMs(e.response?.headers?.get?.('retry-after'))
  return {
    aborted,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(code === undefined ? {} : { code }),
    ...(inner === 'SecretDisabled' ||
    (httpStatus === 403 && inner === undefined && disabledText(err))
      ? { disabled: true }
      : {}),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    ...(networkCode === undefined ? {} : { networkCode }),
    ...(e.name === 'SyntaxError' || e.code === 'PARSE_ERROR' ? { malformed: true } : {}),
  }
}

/** Key Vault's 403 for a disabled secret says so in its message; read, never kept. */
function disabledText(err: unknown): boolean {
  return messageOf(err).includes('not allowed on a disabled secret')
}

/** An error's message, to classify by; never kept or printed. */
function messageOf(err: unknown): string {
  const message = (err as { message?: unknown }).message
  return typeof message === 'string' ? message : ''
}
