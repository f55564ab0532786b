/**
 * Finds every place where any of many needles occurs in a text, in time linear
 * in the text, however many and however long the needles are: the masking of
 * stderr must never be the slow part of a run, nor fail (a single RegExp of
 * every needle overflows past about 32 KB of pattern).
 *
 * Needles up to TILE characters are matched whole, with one rolling hash per
 * distinct length. A longer needle is cut into tiles of TILE characters that
 * cover it (the last tile overlaps the one before it); every occurrence of the
 * needle is an occurrence of all its tiles, so the union of the tiles' matches
 * covers it. A part of a long secret (one line of a key, a truncated quote)
 * is covered too: each tile match is widened over the characters next to it
 * that continue the secret (at most TILE - 1 on each side, where the next
 * tile takes over), so a part that holds one whole tile is covered to its
 * cut ends, not only tile by tile. Any part of 2 * TILE - 1 characters or
 * more holds a whole tile.
 */
export const TILE = 32

// Polynomial rolling hash over UTF-16 code units in 32-bit integer arithmetic
// (Math.imul wraps modulo 2^32, and the rolling update is exact in that ring).
const BASE = 0x01000193
// Module constants, not `Math.` lookups in the hot loops: under a vm context
// (jest, Stryker) every global lookup is slow.
const imul = Math.imul
const max = Math.max

function hashOf(text: string, from: number, length: number): number {
  let hash = 0
  for (let i = from; i < from + length; i++) hash = (imul(hash, BASE) + text.charCodeAt(i)) | 0
  return hash
}

/** BASE^(length-1) in the same ring: the weight of the character that leaves the window. */
function leadingWeight(length: number): number {
  let weight = 1
  for (let i = 1; i < length; i++) weight = imul(weight, BASE)
  return weight
}

// A bit per (hash mod 2^20) that some needle of the group has: most positions
// of a text are rejected on one array read, without a Map lookup.
const FILTER_BITS = 20
const FILTER_MASK = (1 << FILTER_BITS) - 1

interface LengthGroup {
  readonly length: number
  readonly weight: number
  readonly filter: Uint32Array
  /** Hash → the needles of this length with that hash. */
  readonly byHash: Map<number, string[]>
}

function mayHold(filter: Uint32Array, hash: number): boolean {
  const bit = hash & FILTER_MASK
  return ((filter[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0
}

/** Where a tile sits in the long needle it was cut from. */
interface TileOrigin {
  readonly needle: string
  readonly offset: number
}

/**
 * The long needles a tile widens along, at most: each costs up to 2 * TILE
 * comparisons per match. Past it (a tile shared by that many distinct long
 * secrets or forms), the tile itself is still masked.
 */
const MAX_ORIGINS = 32

export class NeedleIndex {
  readonly #groups = new Map<number, LengthGroup>()
  /**
   * Every needle added, and for a tile the long needles it was cut from. One
   * tile is often cut from several needles (the raw value and its quoted form
   * share every tile before the first escape; two keys share a header), and a
   * cut part must widen along the one it came from. A tile repeated inside one
   * needle (`kkkk…`) keeps its first origin there: any widens as well as
   * another, and keeping every one would make adding quadratic.
   */
  readonly #known = new Map<string, TileOrigin[]>()
  readonly #long = new Set<string>()

  /** Adds a needle; empty needles are ignored. */
  add(needle: string): void {
    if (needle.length <= TILE) {
      this.#addExact(needle)
      return
    }
    if (this.#long.has(needle)) return
    this.#long.add(needle)
    for (let start = 0; start < needle.length; start += TILE) {
      const from = Math.min(start, needle.length - TILE)
      this.#addExact(needle.slice(from, from + TILE), { needle, offset: from })
    }
  }

  #addExact(needle: string, origin?: TileOrigin): void {
    if (needle === '') return
    const origins = this.#known.get(needle)
    if (origins !== undefined) {
      if (
        origin !== undefined &&
        origins.length < MAX_ORIGINS &&
        origins.at(-1)?.needle !== origin.needle
      ) {
        origins.push(origin)
      }
      return
    }
    this.#known.set(needle, origin === undefined ? [] : [origin])
    let group = this.#groups.get(needle.length)
    if (group === undefined) {
      group = {
        length: needle.length,
        weight: leadingWeight(needle.length),
        filter: new Uint32Array(1 << (FILTER_BITS - 5)),
        byHash: new Map(),
      }
      this.#groups.set(needle.length, group)
    }
    const hash = hashOf(needle, 0, needle.length)
    const bit = hash & FILTER_MASK
    group.filter[bit >>> 5] = (group.filter[bit >>> 5] ?? 0) | (1 << (bit & 31))
    const same = group.byHash.get(hash)
    if (same === undefined) group.byHash.set(hash, [needle])
    else same.push(needle)
  }

  /**
   * For each position of `text`, the end of the furthest-reaching match that
   * starts there (0 when none does).
   */
  #matchEnds(text: string): Int32Array {
    const ends = new Int32Array(text.length)
    for (const group of this.#groups.values()) {
      const { length, weight, filter, byHash } = group
      if (length > text.length) continue
      let hash = hashOf(text, 0, length)
      for (let at = 0; ; at++) {
        if (mayHold(filter, hash)) {
          for (const n of byHash.get(hash) ?? []) {
            if (text.startsWith(n, at)) this.#cover(ends, text, n, at)
          }
        }
        const next = at + length
        if (next >= text.length) break
        const leaving = imul(text.charCodeAt(at), weight)
        hash = (imul(hash - leaving, BASE) + text.charCodeAt(next)) | 0
      }
    }
    return ends
  }

  /**
   * Records a match of needle `n` at `at`, widened for a tile over the
   * neighbouring characters that continue its long needle (bounded, so a
   * whole long secret in the text costs linear time).
   */
  #cover(ends: Int32Array, text: string, n: string, at: number): void {
    ends[at] = max(ends[at] ?? 0, at + n.length)
    for (const origin of this.#known.get(n) ?? []) this.#widen(ends, text, n, at, origin)
  }

  #widen(ends: Int32Array, text: string, n: string, at: number, origin: TileOrigin): void {
    const { needle, offset } = origin
    let left = 0
    while (
      left < TILE - 1 &&
      left < at &&
      left < offset &&
      text.charCodeAt(at - left - 1) === needle.charCodeAt(offset - left - 1)
    ) {
      left++
    }
    let right = 0
    const after = at + n.length
    const rest = offset + n.length
    while (
      right < TILE - 1 &&
      after + right < text.length &&
      rest + right < needle.length &&
      text.charCodeAt(after + right) === needle.charCodeAt(rest + right)
    ) {
      right++
    }
    const start = at - left
    const end = after + right
    ends[start] = max(ends[start] ?? 0, end)
  }

  /** The covered ranges of `text` as sorted, disjoint `[start, end)` pairs. */
  ranges(text: string): [number, number][] {
    const out: [number, number][] = []
    if (this.#groups.size === 0) return out
    const ends = this.#matchEnds(text)
    let start = -1
    let end = 0
    for (let at = 0; at < text.length; at++) {
      const reach = ends[at] ?? 0
      if (reach === 0) continue
      if (start >= 0 && at <= end) {
        end = max(end, reach)
      } else {
        if (start >= 0) out.push([start, end])
        start = at
        end = reach
      }
    }
    if (start >= 0) out.push([start, end])
    return out
  }
}
