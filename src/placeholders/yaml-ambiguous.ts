/**
 * Decides whether a string, written as a plain YAML scalar, would be read back
 * as something other than a string. Argo CD and kubectl decode manifests with
 * go-yaml v2 (YAML 1.1), which reads `yes`, `on`, `y`, `012`, `1:20`, `1e3`,
 * `2001-12-14` … as booleans, numbers or timestamps (contracts.md §4.2 hazard 2,
 * avp-behaviour.md Appendix A). Our Documents use the failsafe schema, so the
 * yaml stringifier cannot know this: we decide here and force double quotes.
 * The rules err on the side of quoting: extra quotes never change meaning.
 */

// YAML 1.1 booleans (any case, go-yaml v2 accepts y/Y/yes/Yes/YES/on/On/ON …) and nulls.
const BOOL_OR_NULL = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i

// Integers and floats in YAML 1.1 and 1.2 core, plus whatever Go's ParseFloat
// accepts (go-yaml v2 tries it on plain scalars): signs, leading zeros (octal
// in 1.1), underscores, sexagesimal `1:20`, exponents `1e3`, `81111e1`, `.5`.
const DECIMAL =
  /^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9_]+)?$/

// Base-prefixed integers and Go hexadecimal floats: 0x1F, 0o17, 0b101, 0x1p-2.
const PREFIXED = /^[-+]?0[xXoObB][0-9a-fA-F_.]*(?:[pP][-+]?[0-9_]+)?$/

// `.inf`, `.nan` (YAML) and Go ParseFloat's `Inf`, `Infinity`, `NaN` in any case.
const SPECIAL_FLOAT = /^[-+]?\.?(?:inf|infinity|nan)$/i

// YAML 1.1 timestamps start with a date: 2001-12-14, 2001-12-14T21:59:43.10-05:00.
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/

/** True when `text` must be quoted so that a YAML 1.1 or 1.2 reader sees a string. */
export function isAmbiguousPlain(text: string): boolean {
  return (
    text === '' ||
    BOOL_OR_NULL.test(text) ||
    DECIMAL.test(text) ||
    PREFIXED.test(text) ||
    SPECIAL_FLOAT.test(text) ||
    TIMESTAMP.test(text)
  )
}
