import { describeValue } from '../../../config/describe-value'
import type { Settings } from '../../../config/settings'
import { Secret } from '../../../secrets/secret'
import { AUTH_METHODS, type VaultAuthConfig, type VaultAuthMethod } from '../config'

const DEFAULT_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token'

/** Default auth mounts, as in AVP (docs/design/avp-semantics.md). */
const DEFAULT_MOUNTS: Readonly<Record<Exclude<VaultAuthMethod, 'token'>, string>> = {
  approle: 'auth/approle',
  k8s: 'auth/kubernetes',
  userpass: 'auth/userpass',
  github: 'auth/github',
  cert: 'auth/cert',
}

/** Parses `AVP_AUTH_TYPE` and its credentials, pushing one issue per problem. */
export function parseAuth(settings: Settings, issues: string[]): VaultAuthConfig | undefined {
  const type = settings.get('AVP_AUTH_TYPE')?.trim()
  const choices = AUTH_METHODS.join('|')
  if (type === undefined) {
    issues.push(`AVP_AUTH_TYPE: required; one of ${choices}`)
    return undefined
  }
  if (!isMethod(type)) {
    issues.push(
      `AVP_AUTH_TYPE: expected one of ${choices}, got ${describeValue('AVP_AUTH_TYPE', type)}`,
    )
    return undefined
  }
  if (type === 'token') {
    const token = settings.get('VAULT_TOKEN')?.trim()
    return token ? { method: 'token', token: new Secret(token) } : { method: 'token' }
  }
  const mountKey =
    type === 'k8s' && settings.get('AVP_K8S_MOUNT_PATH') ? 'AVP_K8S_MOUNT_PATH' : 'AVP_MOUNT_PATH'
  const mount = authMount(mountKey, settings.get(mountKey), DEFAULT_MOUNTS[type], issues)
  return parseCredentials(type, mount, settings, issues)
}

function parseCredentials(
  type: Exclude<VaultAuthMethod, 'token'>,
  mount: string,
  settings: Settings,
  issues: string[],
): VaultAuthConfig | undefined {
  const need = (keys: string[]): Secret<string>[] | undefined => {
    const values = keys.map((k) => settings.get(k))
    const missing = keys.filter((_k, i) => values[i] === undefined)
    if (missing.length > 0) {
      issues.push(`${missing.join(' and ')}: required for AVP_AUTH_TYPE=${type}`)
      return undefined
    }
    return values.map((v) => new Secret(v ?? ''))
  }
  switch (type) {
    case 'approle': {
      const got = need(['AVP_ROLE_ID', 'AVP_SECRET_ID'])
      const [roleId, secretId] = got ?? []
      return roleId && secretId ? { method: type, mount, roleId, secretId } : undefined
    }
    case 'k8s': {
      const role = settings.get('AVP_K8S_ROLE')?.trim()
      if (!role) issues.push('AVP_K8S_ROLE: required for AVP_AUTH_TYPE=k8s')
      const configured = settings.get('AVP_K8S_TOKEN_PATH')?.trim()
      const jwtPath = configured === undefined || configured === '' ? DEFAULT_JWT_PATH : configured
      return role ? { method: type, mount, role, jwtPath } : undefined
    }
    case 'userpass': {
      const username = settings.get('AVP_USERNAME')?.trim()
      const password = settings.get('AVP_PASSWORD')
      const missing = [username ? [] : ['AVP_USERNAME'], password ? [] : ['AVP_PASSWORD']].flat()
      if (missing.length > 0)
        issues.push(`${missing.join(' and ')}: required for AVP_AUTH_TYPE=userpass`)
      return username && password
        ? { method: type, mount, username, password: new Secret(password) }
        : undefined
    }
    case 'github': {
      const token = settings.get('AVP_GITHUB_TOKEN')?.trim()
      if (!token) issues.push('AVP_GITHUB_TOKEN: required for AVP_AUTH_TYPE=github')
      return token ? { method: type, mount, token: new Secret(token) } : undefined
    }
    case 'cert': {
      const role = settings.get('AVP_CERT_ROLE')?.trim()
      return role ? { method: type, mount, role } : { method: type, mount }
    }
  }
}

function isMethod(value: string): value is VaultAuthMethod {
  return (AUTH_METHODS as readonly string[]).includes(value)
}

/**
 * AVP's `AVP_MOUNT_PATH` is the full mount including `auth/`
 * (`auth/approle`); we also accept it without (`approle`) and with stray
 * slashes, and always return `auth/<mount>`.
 */
export function authMount(
  key: string,
  value: string | undefined,
  fallback: string,
  issues: string[],
): string {
  if (value === undefined) return fallback
  const trimmed = value.trim().replace(/^\/+|\/+$/g, '')
  const segments = trimmed.split('/')
  if (trimmed === '' || segments.some((s) => s === '' || s === '.' || s === '..')) {
    issues.push(
      `${key}: expected an auth mount such as auth/approle, got ${describeValue(key, value)}`,
    )
    return fallback
  }
  return segments[0] === 'auth' && segments.length > 1 ? trimmed : `auth/${trimmed}`
}
