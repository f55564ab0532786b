import fc from 'fast-check'
import { invalidUtf8Offset } from '../../../src/input/utf8'

/** The reference: the WHATWG decoder in fatal mode. */
function validPrefix(bytes: Uint8Array, end: number): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end))
    return true
  } catch {
    return false
  }
}

describe('invalidUtf8Offset', () => {
  test.each<[string, number[], number]>([
    ['ASCII', [0x61, 0x62], -1],
    ['two-byte é', [0xc3, 0xa9], -1],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong slash', [0xc0, 0xaf], 0],
    ['a surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['cut short at the end', [0x61, 0x62, 0xe2, 0x82], 2],
    ['Latin-1 é', [0x63, 0x61, 0x66, 0xe9], 3],
  ])('%s', (_name, bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset)
  })

  test('agrees with the fatal WHATWG decoder on whether the bytes are valid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        expect(invalidUtf8Offset(bytes) === -1).toBe(validPrefix(bytes, bytes.length))
      }),
      { numRuns: 5000 },
    )
  })

  test('valid text from any code points is accepted', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(invalidUtf8Offset(Buffer.from(text, 'utf8'))).toBe(-1)
      }),
    )
  })
})
