import type { FetchFailure, SecretRef } from '../../secrets/ref'

/** One distinct secret version to read, and the refs it serves. */
export interface GcpTarget {
  /** `projects/<p>/secrets/<s>/versions/<v>`: the AccessSecretVersion resource name. */
  readonly name: string
  readonly project: string
  /** A regional secret's location, read through that location's endpoint. */
  readonly location?: string
  /** The secret id: AVP's one key, which gives the whole payload. */
  readonly secretId: string
  /** `secret projects/p/secrets/s (version 3)`, for messages. */
  readonly label: string
  readonly refs: SecretRef[]
}

export interface GcpPlan {
  readonly targets: readonly GcpTarget[]
  readonly rejected: readonly { readonly ref: SecretRef; readonly failure: FetchFailure }[]
}

// Secret ids are 1-255 of [A-Za-z0-9_-]; project ids are lower-case with
// dashes (domain-scoped ones add `domain:`), project numbers are digits
// (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create).
// A regional secret adds `locations/<location>` (us-central1, europe-west4)
// and lives behind that location's endpoint
// (https://cloud.google.com/secret-manager/regional-secrets/regional-secrets-overview).
const PATH =
  /^projects\/([a-z0-9][a-z0-9.:-]{0,99})\/(?:locations\/([a-z][a-z0-9-]{1,40})\/)?secrets\/([A-Za-z0-9_-]{1,255})$/
// `latest`, a version number, or a version alias.
const VERSION = /^(latest|[1-9]\d{0,18}|[A-Za-z][A-Za-z0-9_-]{0,62})$/

/**
 * Groups refs into distinct AccessSecretVersion calls. No version and
 * `latest` are the same read; the Vault-only `kvVersion` means nothing here.
 */
export function planTargets(refs: readonly SecretRef[]): GcpPlan {
  const targets = new Map<string, GcpTarget>()
  const rejected: { ref: SecretRef; failure: FetchFailure }[] = []
  for (const ref of refs) {
    const match = PATH.exec(ref.path)
    const version = ref.version === undefined || ref.version === '' ? 'latest' : ref.version
    if (match === null) {
      rejected.push({ ref, failure: badPath(ref.path) })
      continue
    }
    if (!VERSION.test(version)) {
      rejected.push({ ref, failure: badVersion(ref.path, version) })
      continue
    }
    const name = `${ref.path}/versions/${version}`
    let target = targets.get(name)
    if (target === undefined) {
      const label =
        version === 'latest' ? `secret ${ref.path}` : `secret ${ref.path} (version ${version})`
      const location = match[2]
      target = {
        name,
        project: match[1] ?? '',
        ...(location === undefined ? {} : { location }),
        secretId: match[3] ?? '',
        label,
        refs: [],
      }
      targets.set(name, target)
    }
    target.refs.push(ref)
  }
  return { targets: [...targets.values()], rejected }
}

function badPath(path: string): FetchFailure {
  const hint = path.includes('/versions/')
    ? '; give the version after the key instead: <path:projects/p/secrets/s#key#3>'
    : ''
  return {
    code: 'CONFIG_INVALID',
    message: `path ${JSON.stringify(path)} is not in the form projects/<project>/secrets/<secret id> (or projects/<project>/locations/<location>/secrets/<secret id>) for GCP Secret Manager${hint}`,
  }
}

function badVersion(path: string, version: string): FetchFailure {
  return {
    code: 'CONFIG_INVALID',
    message: `version ${JSON.stringify(version)} of ${path} is not "latest", a version number or an alias`,
  }
}
