/** A parsed `vaults/<vault>/items/<item>` path: each part a name (title) or an id. */
export interface ItemPath {
  readonly vault: string
  /** May contain `/`: everything after `items/`, as in AVP. */
  readonly item: string
}

/** Connect ids are 26 lower-case letters and digits (the Go SDK's `IsValidClientUUID`). */
const CONNECT_ID = /^[a-z0-9]{26}$/

export function isConnectId(value: string): boolean {
  return CONNECT_ID.test(value)
}

/**
 * Parses the path as AVP does (vault = 2nd segment, item = the rest after the
 * 3rd), but checks the literal `vaults` and `items` and that neither part is
 * empty: AVP ignores the literals and panics on a short path.
 */
export function parseItemPath(path: string): ItemPath | { readonly failure: string } {
  const [vaults, vault, items, ...rest] = path.split('/')
  const item = rest.join('/')
  if (
    vaults !== 'vaults' ||
    items !== 'items' ||
    vault === undefined ||
    vault === '' ||
    item === ''
  ) {
    return {
      failure: `secret path ${JSON.stringify(path)} must be vaults/<vault>/items/<item> (names or ids)`,
    }
  }
  return { vault, item }
}

/** A SCIM filter on one attribute, as the Connect API takes it: `title eq "My item"`. */
export function eqFilter(attribute: 'name' | 'title', value: string): string {
  const quoted = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
  return `filter=${encodeURIComponent(`${attribute} eq "${quoted}"`)}`
}
