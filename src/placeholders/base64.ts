/**
 * Strict standard base64 (RFC 4648 §4, padded), as Go's
 * `base64.StdEncoding.DecodeString` reads it. Node's `Buffer.from(x, 'base64')`
 * skips invalid characters silently, so the shape is checked first.
 */
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decoded text, or why the input is not base64 of UTF-8 text. */
export type Base64Text =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly failure: 'not-base64' | 'not-utf8' }

/** Decodes strict base64 whose content is UTF-8 text. */
export function decodeBase64Text(encoded: string): Base64Text {
  if (!STD_BASE64.test(encoded)) return { ok: false, failure: 'not-base64' }
  try {
    return { ok: true, text: utf8.decode(Buffer.from(encoded, 'base64')) }
  } catch {
    return { ok: false, failure: 'not-utf8' }
  }
}

/** Standard padded base64 of the UTF-8 text. */
export function encodeBase64Text(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}
