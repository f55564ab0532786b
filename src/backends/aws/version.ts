/**
 * What a placeholder's `#VERSION` (or the `avp.kubernetes.io/secret-version`
 * annotation) asks AWS for (docs/design/aws-wire.md).
 *
 * AVP sends everything except `AWSCURRENT`/`AWSPREVIOUS` as a VersionId, so
 * `AWSPENDING` or a custom label fails (AVP #199). Here a UUID is a VersionId
 * and anything else is a staging label. `AWSCURRENT` is what a read without a
 * version returns, so it counts as "latest" and can be batched.
 */
export type VersionSelector =
  | { readonly kind: 'latest' }
  | { readonly kind: 'stage'; readonly stage: string }
  | { readonly kind: 'id'; readonly versionId: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function classifyVersion(version: string | undefined): VersionSelector {
  const v = version?.trim()
  if (v === undefined || v === '' || v === 'AWSCURRENT') return { kind: 'latest' }
  if (UUID.test(v)) return { kind: 'id', versionId: v }
  return { kind: 'stage', stage: v }
}

/** `stage AWSPREVIOUS`, `version id 1a2b…`, or nothing: for messages and dedupe keys. */
export function describeVersion(selector: VersionSelector): string | undefined {
  switch (selector.kind) {
    case 'latest':
      return undefined
    case 'stage':
      return `stage ${selector.stage}`
    case 'id':
      return `version id ${selector.versionId}`
  }
}
