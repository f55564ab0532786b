/**
 * Secrets Manager ARNs: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 chars>`.
 * A partial ARN (without the 6-character suffix) also names a secret
 * (docs/design/aws-wire.md). Secret names cannot contain `:`, so a path that starts
 * with `arn:` is always meant as an ARN.
 */
export interface SecretArn {
  readonly partition: string
  readonly region: string
  readonly account: string
  /** Everything after `secret:`: the name, with or without the random suffix. */
  readonly resource: string
}

const ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([^:]+)$/

/** The parsed ARN, `undefined` for a plain name, or `'invalid'` for an `arn:` path that is not a Secrets Manager ARN. */
export function parseSecretArn(path: string): SecretArn | 'invalid' | undefined {
  if (!path.startsWith('arn:')) return undefined
  const m = ARN.exec(path)
  if (m === null) return 'invalid'
  const [, partition = '', region = '', account = '', resource = ''] = m
  return { partition, region, account, resource }
}

/** The random suffix AWS appends to a secret's name in its full ARN. */
const ARN_SUFFIX = /^-[A-Za-z0-9]{6}$/

/**
 * Whether the secret that BatchGetSecretValue returned as `name`/`arn` is the
 * one requested as `requested` (a name, a full ARN or a partial ARN). The
 * response only gives Name and ARN, so a request by partial ARN must be
 * mapped back by its prefix.
 */
export function matchesRequestedId(
  requested: string,
  returned: { readonly name?: string; readonly arn?: string },
): boolean {
  if (returned.name !== undefined && requested === returned.name) return true
  const arn = returned.arn
  if (arn === undefined || !requested.startsWith('arn:')) return false
  if (requested === arn) return true
  return arn.startsWith(requested) && ARN_SUFFIX.test(arn.slice(requested.length))
}
