import { isAllowedToolVar } from '../../render/tool-env'

/**
 * Key services sops may need besides age, read from the sidecar's own
 * environment: PGP (`GNUPGHOME`), AWS KMS and GCP KMS, whose endpoints are
 * fixed by the key's ARN or resource name. Not Vault transit or Azure Key
 * Vault: their server address is written in the encrypted file, which the
 * Application controls, so their credentials could be sent anywhere.
 */
const KEY_SERVICE_VARS: ReadonlySet<string> = new Set([
  'GNUPGHOME',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'GOOGLE_APPLICATION_CREDENTIALS',
])

/**
 * The environment sops runs with: the render tools' allow-list (PATH, HOME,
 * locale, proxies, CA bundles), the key services above from the sidecar's
 * environment, and the operator's age key settings.
 */
export function sopsEnv(
  env: Readonly<Record<string, string | undefined>>,
  keyEnv: ReadonlyMap<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (isAllowedToolVar(name) || KEY_SERVICE_VARS.has(name)))
      out[name] = value
  }
  for (const [name, value] of keyEnv) out[name] = value
  return out
}
