/**
 * The byte offset of the first byte that is not valid UTF-8, or -1 when the
 * whole buffer is valid. Node's `toString('utf8')` silently turns such bytes
 * into U+FFFD, which would change a manifest (or a secret) without a word;
 * readers refuse the input instead and name this offset. Follows RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length
  let i = 0
  while (i < n) {
    const b = bytes[i] ?? 0
    if (b < 0x80) {
      i++
      continue
    }
    const width = sequenceWidth(b, bytes[i + 1] ?? 0)
    if (width === 0 || i + width > n) return i
    for (let k = 1; k < width; k++) {
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i
    }
    i += width
  }
  return -1
}

/** Bytes in the sequence starting with `lead` (and `next`), or 0 when no valid sequence starts so. */
function sequenceWidth(lead: number, next: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead === 0xe0) return next >= 0xa0 && next <= 0xbf ? 3 : 0 // no overlong
  if (lead === 0xed) return next >= 0x80 && next <= 0x9f ? 3 : 0 // no surrogates
  if (lead >= 0xe1 && lead <= 0xef) return 3
  if (lead === 0xf0) return next >= 0x90 && next <= 0xbf ? 4 : 0 // no overlong
  if (lead === 0xf4) return next >= 0x80 && next <= 0x8f ? 4 : 0 // not above U+10FFFF
  if (lead >= 0xf1 && lead <= 0xf3) return 4
  return 0
}
