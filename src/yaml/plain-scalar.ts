import { Schema } from 'yaml'

/**
 * Whether a string may be written as a plain (unquoted) YAML scalar and still
 * be read back as that same string. Argo CD and kubectl decode manifests with
 * go-yaml v2 (YAML 1.1), which reads `yes`, `on`, `y`, `012`, `1:20`, `1e3`,
 * `2001-12-14` … as booleans, numbers or timestamps (docs/design/engineering-rules.md,
 * docs/design/avp-semantics.md). Our Documents use the failsafe schema, so
 * the yaml stringifier cannot know this; the input layer (JSON turned into
 * YAML) and the placeholder engine (substituted strings) ask here and force
 * double quotes. The rules err on the side of quoting: extra quotes never
 * change meaning.
 */

/** Every implicit-type test of the yaml library's YAML 1.1 and 1.2 core schemas. */
const IMPLICIT_TESTS: readonly RegExp[] = ['yaml-1.1', 'core'].flatMap((name) =>
  new Schema({ schema: name }).tags.flatMap((tag) =>
    tag.tag !== 'tag:yaml.org,2002:str' && tag.default !== false && tag.test !== undefined
      ? [tag.test]
      : [],
  ),
)

// go-yaml v2 tries Go's ParseInt/ParseFloat on anything that looks numeric
// (`0B11`, `0X1F`, `0x1p-2`, `81111e1`, `1_000`): quote whatever starts like a number.
const NUMBER_LIKE = /^[-+]?\.?[0-9]/

// YAML 1.1 booleans and nulls in any letter case (more than go-yaml needs; harmless).
const BOOL_OR_NULL = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i

// `.inf`, `.nan` and Go ParseFloat's `Inf`, `Infinity`, `NaN` in any case.
const SPECIAL_FLOAT = /^[-+]?\.?(?:inf|infinity|nan)$/i

/** True when `text` must be quoted so that a YAML 1.1 or 1.2 reader sees a string. */
export function isAmbiguousAsPlain(text: string): boolean {
  return (
    text === '' ||
    NUMBER_LIKE.test(text) ||
    BOOL_OR_NULL.test(text) ||
    SPECIAL_FLOAT.test(text) ||
    IMPLICIT_TESTS.some((test) => test.test(text))
  )
}
