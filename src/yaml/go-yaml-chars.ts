/**
 * Which characters reach a go-yaml reader unchanged when written raw. Argo CD,
 * kubectl and Helm read YAML with go-yaml (YAML 1.1 rules), which differs from
 * the `yaml` library in two ways that matter for byte-exact values
 * (docs/design/byte-exact-values.md):
 *
 * - U+0085 (NEL), U+2028 and U+2029 are line breaks, so written raw they split
 *   a scalar (in a plain scalar, a following `key:` becomes a new key) or are
 *   folded into a space;
 * - its reader refuses anything outside YAML's printable set: C0 controls
 *   other than tab, LF and CR, DEL, C1 controls, U+FFFE and U+FFFF.
 *
 * `\r` is a line break as well, and a BOM (U+FEFF) is skipped at the start of
 * a line. A string holding any of these must be written double-quoted with
 * escapes. An unpaired UTF-16 surrogate has no UTF-8 form at all: YAML cannot
 * carry it.
 */

/**
 * Every character that is NOT safe raw: controls except tab and LF, DEL, C1
 * (which includes U+0085), U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF.
 */
const UNSAFE_RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/

/** Surrogates that are not part of a pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** True when `text` can only be written as a double-quoted scalar with escapes. */
export function needsGoYamlEscapes(text: string): boolean {
  return UNSAFE_RAW.test(text) || LONE_SURROGATE.test(text)
}

/** True when `text` holds an unpaired surrogate, which no YAML (or UTF-8) can carry. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text)
}

// go-yaml refuses a tab where it still looks for a block scalar's indentation
// (a line that starts with a tab), and a line that ends in blanks reads badly
// (editors strip it; the `yaml` library quotes such text itself).
const BAD_IN_BLOCK = /(?:^|\n)\t|[ \t]\n|[ \t]$/

/** True when a multi-line string reads back exactly from a `|` block scalar. */
export function fitsGoYamlBlockScalar(text: string): boolean {
  return !needsGoYamlEscapes(text) && !BAD_IN_BLOCK.test(text)
}

// In a flow collection (`[a, b]`, `{k: v}`) go-yaml v2 takes `?` anywhere and
// `:` at the start of a plain scalar for indicators (`[a?b]` fails to parse,
// `[?!]` becomes a map), besides the flow indicators themselves.
const FLOW_INDICATORS = /[?:,[\]{}]/

/** True when a one-line string may stay plain inside a flow collection. */
export function fitsGoYamlFlowPlain(text: string): boolean {
  return !FLOW_INDICATORS.test(text)
}
