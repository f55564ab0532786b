import fc from 'fast-check'
import {
  scanGeneric,
  scanIndividual,
  scanInline,
  stripBrackets,
} from '../../../src/placeholders/scan'
import { linearityRatio } from '../../support/linearity'

// The expressions the scanners replace: the reference the scanners must agree with.
const GENERIC = /<([^\n]*?)>/g
const INLINE = /<path:([^#]+?)#([^#]+?)(?:#([^#]+?))??>/g
const INDIVIDUAL = /path:([^#]+)#([^#]+)(?:#([^\n]+))?/

const spansOf = (text: string, pattern: RegExp): [number, number][] =>
  [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length])

/** Text made of the grammar's own characters, so matches and near misses are common. */
const grammarText = fc
  .array(fc.constantFrom('<', '>', '#', '\n', 'path:', '<path:', 'a', ' ', '|', 'p#', 'k>', '##'), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''))

const runs = Number(process.env['FUZZ_RUNS'] ?? 2000)

describe('the scanners match exactly what the grammar expressions match', () => {
  test('generic placeholders', () => {
    fc.assert(
      fc.property(grammarText, (text) => {
        const found = scanGeneric(text).map((s): [number, number] => [s.start, s.end])
        expect(found).toEqual(spansOf(text, GENERIC))
        expect(scanGeneric(text, true).length > 0).toBe(/<[^\n]*?>/.test(text))
      }),
      { numRuns: runs },
    )
  })

  test('inline placeholders', () => {
    fc.assert(
      fc.property(grammarText, (text) => {
        const found = scanInline(text).map((s): [number, number] => [s.start, s.end])
        expect(found).toEqual(spansOf(text, INLINE))
      }),
      { numRuns: runs },
    )
  })

  test('the individual path:P#K#V syntax', () => {
    fc.assert(
      fc.property(grammarText, (text) => {
        const m = INDIVIDUAL.exec(text)
        const expected =
          m === null
            ? undefined
            : { path: m[1], key: m[2], ...(m[3] === undefined ? {} : { version: m[3] }) }
        expect(scanIndividual(text)).toEqual(expected)
      }),
      { numRuns: runs },
    )
  })

  test('bracket stripping', () => {
    fc.assert(
      fc.property(grammarText, (text) => {
        expect(stripBrackets(text)).toBe(text.replace(/^<+/, '').replace(/>+$/, ''))
      }),
      { numRuns: runs },
    )
  })

  test.each<[string, [number, number][]]>([
    ['<a<b>', [[0, 5]]],
    ['<a\n<b>', [[3, 6]]],
    ['<<<', []],
  ])('generic %j', (text, spans) => {
    expect(scanGeneric(text).map((s) => [s.start, s.end])).toEqual(spans)
  })
})

describe('hostile lines take linear time', () => {
  // Each case is a line a tenant could commit; the old expressions took
  // quadratic time on them (a 400 KB line of `<` ran for minutes).
  test.each<[string, (n: number) => string, (text: string) => unknown]>([
    ['`<` with no `>`', (n) => '<'.repeat(n), (t) => scanGeneric(t)],
    ['`<path:` with no `#`', (n) => '<path:'.repeat(n / 6), (t) => scanInline(t)],
    ['`<path:x#` with no `>`', (n) => '<path:x#'.repeat(n / 8), (t) => scanInline(t)],
    ['`<path:x#` then one `>`', (n) => `${'<path:x#'.repeat(n / 8)}>`, (t) => scanInline(t)],
    ['`path:` with `##`', (n) => `${'path:'.repeat(n / 5)}a##`, (t) => scanIndividual(t)],
    ['`path:` with no `#`', (n) => 'path:'.repeat(n / 5), (t) => scanIndividual(t)],
  ])('%s', (_name, make, scan) => {
    expect(linearityRatio(make, scan, 100_000)).toBeLessThan(3)
  })
})
