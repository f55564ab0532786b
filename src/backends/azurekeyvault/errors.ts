import type { FetchFailure } from '../../secrets/ref'
import { type StoppedRead, stoppedReadFailure } from '../deadline'
import type { AzureCallFacts } from './port-types'

/** What the run knew when a call failed. */
export interface FailureContext extends StoppedRead {
  readonly vault: string
  readonly attempts: number
  /** An earlier attempt was throttled: the deadline message says so. */
  readonly throttled?: boolean
}

const KEY_VAULT = { short: 'Key Vault', long: 'Key Vault' }

const NO_CREDENTIAL =
  'set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (AKS Workload Identity sets them) or AZURE_CLIENT_SECRET, or run with a managed identity (docs/backends/azurekeyvault.md)'

/**
 * Turns a failed GetSecret into our own one-line failure, from the HTTP status
 * and error code Key Vault answered
 * (https://learn.microsoft.com/azure/key-vault/general/rest-error-codes).
 * Messages carry only those words, the attempt count and names.
 */
export function classifyFailure(facts: AzureCallFacts, ctx: FailureContext): FetchFailure {
  if (facts.aborted) return stoppedReadFailure(ctx, KEY_VAULT, ctx.throttled === true)
  const from = ` (${details(facts, ctx.attempts)})`
  if (facts.auth === 'unavailable') {
    return {
      code: 'AUTH_FAILED',
      message: `no Azure credential could be used for reading ${ctx.label}: ${NO_CREDENTIAL}`,
    }
  }
  if (facts.auth === 'refused') {
    return {
      code: 'AUTH_FAILED',
      message: `Microsoft Entra ID did not give a token for reading ${ctx.label}; check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential${from}`,
    }
  }
  if (facts.networkCode === 'ENOTFOUND') {
    return {
      code: 'SECRET_NOT_FOUND',
      message: `key vault ${ctx.vault} not found: its host name does not resolve; check the vault name (the path of the placeholder)${from}`,
    }
  }
  switch (facts.httpStatus) {
    case 401:
      return {
        code: 'AUTH_FAILED',
        message: `Key Vault did not accept the token while reading ${ctx.label}${from}`,
      }
    case 403:
      return facts.disabled === true
        ? {
            code: 'VERSION_DELETED',
            message: `${ctx.label} is disabled: enable it in the vault, or name an enabled version after the key (#key#<version>)${from}`,
          }
        : {
            code: 'ACCESS_DENIED',
            message: `permission denied for ${ctx.label}: the identity needs the "Key Vault Secrets User" role or a "get" secret permission in the vault's access policy, and the vault's firewall must let the plugin in${from}`,
          }
    case 429:
      return {
        code: 'THROTTLED',
        message: `Key Vault throttled the requests for ${ctx.label} until the retries ran out${from}`,
      }
    case undefined:
    default:
      return otherFailure(facts, ctx, from)
  }
}

function otherFailure(facts: AzureCallFacts, ctx: FailureContext, from: string): FetchFailure {
  if (facts.malformed === true) {
    return {
      code: 'BACKEND_ERROR',
      message: `Key Vault sent an answer without a secret value for ${ctx.label}${from}`,
    }
  }
  if (facts.httpStatus === undefined) {
    return { code: 'UNAVAILABLE', message: `could not reach Key Vault for ${ctx.label}${from}` }
  }
  if (facts.httpStatus >= 500) {
    return { code: 'UNAVAILABLE', message: `Key Vault failed while reading ${ctx.label}${from}` }
  }
  return { code: 'BACKEND_ERROR', message: `Key Vault refused to read ${ctx.label}${from}` }
}

/** `Forbidden, HTTP 403, 3 attempts`: allow-listed facts only. */
function details(facts: AzureCallFacts, attempts: number): string {
  const parts: string[] = []
  if (facts.code !== undefined) parts.push(facts.code)
  if (facts.authError !== undefined) parts.push(facts.authError)
  if (facts.networkCode !== undefined) parts.push(facts.networkCode)
  if (facts.httpStatus !== undefined) parts.push(`HTTP ${String(facts.httpStatus)}`)
  if (attempts > 1) parts.push(`${String(attempts)} attempts`)
  return parts.length === 0 ? 'no details' : parts.join(', ')
}

/** Worth another attempt: throttling, a server or network failure, or an attempt that timed out. */
export function isRetryable(facts: AzureCallFacts): boolean {
  if (facts.aborted || facts.auth !== undefined || facts.malformed === true) return false
  if (facts.httpStatus === undefined) {
    return facts.networkCode !== undefined && facts.networkCode !== 'ENOTFOUND'
  }
  return facts.httpStatus === 429 || facts.httpStatus === 408 || facts.httpStatus >= 500
}

/** A failure every read of the vault would share: no point trying its other secrets. */
export function failsWholeVault(facts: AzureCallFacts): boolean {
  return facts.auth !== undefined || facts.networkCode === 'ENOTFOUND'
}
