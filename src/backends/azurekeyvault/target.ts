import type { FetchFailure, SecretRef } from '../../secrets/ref'

/** One distinct GetSecret: a secret of a vault at a version (latest when absent), and the refs it serves. */
export interface AzureTarget {
  readonly vault: string
  readonly name: string
  readonly version?: string
  /** `secret db-password in key vault my-vault (version 3f…)`, for messages. */
  readonly label: string
  readonly refs: SecretRef[]
}

/** The targets of one vault: its first read answers the vault's authentication challenge. */
export interface VaultTargets {
  readonly vault: string
  readonly targets: AzureTarget[]
}

export interface AzurePlan {
  readonly vaults: readonly VaultTargets[]
  /** Refs that cannot be read: a path that is no vault name. */
  readonly rejected: readonly { readonly ref: SecretRef; readonly failure: FetchFailure }[]
  /** Refs whose key cannot name a Key Vault secret: answered "key not found" without a call. */
  readonly impossible: readonly SecretRef[]
}

// Vault names: 3-24 letters, digits and hyphens, starting with a letter,
// ending with a letter or digit, no two hyphens in a row. Secret names: 1-127
// letters, digits and hyphens. Versions: 32 hex digits
// (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning).
// The vault name becomes a host name: nothing else may get through.
const VAULT = /^(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/
const SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/
const VERSION = /^[A-Za-z0-9]{1,64}$/

/**
 * Groups refs (one per vault, secret name and version: the planner makes a
 * ref per key for this backend) into distinct GetSecret calls, by vault. An
 * empty version is the latest, as no version.
 */
export function planTargets(refs: readonly SecretRef[]): AzurePlan {
  const vaults = new Map<string, Map<string, AzureTarget>>()
  const rejected: { ref: SecretRef; failure: FetchFailure }[] = []
  const impossible: SecretRef[] = []
  for (const ref of refs) {
    const vault = ref.path
    const version = ref.version === '' ? undefined : ref.version
    if (!VAULT.test(vault)) {
      rejected.push({ ref, failure: badVault(vault) })
      continue
    }
    if (version !== undefined && !VERSION.test(version)) {
      rejected.push({ ref, failure: badVersion(vault, version) })
      continue
    }
    const name = ref.key
    if (name === undefined) {
      rejected.push({ ref, failure: noKey(vault) })
      continue
    }
    if (!SECRET_NAME.test(name)) {
      impossible.push(ref)
      continue
    }
    // Vault and secret names are case-insensitive in Key Vault.
    const id = `${name.toLowerCase()}/${version ?? ''}`
    const targets = vaults.get(vault.toLowerCase()) ?? new Map<string, AzureTarget>()
    vaults.set(vault.toLowerCase(), targets)
    let target = targets.get(id)
    if (target === undefined) {
      const at = version === undefined ? '' : ` (version ${version})`
      target = {
        vault,
        name,
        ...(version === undefined ? {} : { version }),
        label: `secret ${name} in key vault ${vault}${at}`,
        refs: [],
      }
      targets.set(id, target)
    }
    target.refs.push(ref)
  }
  return {
    vaults: [...vaults.values()].map((targets) => {
      const list = [...targets.values()]
      return { vault: list[0]?.vault ?? '', targets: list }
    }),
    rejected,
    impossible,
  }
}

function badVault(path: string): FetchFailure {
  return {
    code: 'CONFIG_INVALID',
    message: `path ${JSON.stringify(path)} is not an Azure Key Vault name (3-24 letters, digits and hyphens, starting with a letter): the path is the vault name and the key the secret name, <path:my-vault#my-secret>`,
  }
}

function badVersion(vault: string, version: string): FetchFailure {
  return {
    code: 'CONFIG_INVALID',
    message: `version ${JSON.stringify(version)} for key vault ${vault} is not a Key Vault secret version (letters and digits, 32 hex digits as Azure makes them)`,
  }
}

function noKey(vault: string): FetchFailure {
  return {
    code: 'BACKEND_ERROR',
    message: `no secret name reached the azurekeyvault backend for key vault ${vault}`,
  }
}
