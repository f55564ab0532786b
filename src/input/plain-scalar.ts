import { Schema } from 'yaml'

/**
 * Every implicit-type test of YAML 1.1 (what Argo CD's go-yaml v2 decoder
 * applies: `yes`, `on`, `y`, `0x1F`, `012`, `1e3`, `1:20`, `~`, `<<`) and of
 * the YAML 1.2 core schema (`0o17`), built once from the `yaml` library's own
 * schemas (contracts.md §4.2 hazard 2).
 */
const IMPLICIT_TESTS: readonly RegExp[] = ['yaml-1.1', 'core'].flatMap((name) =>
  new Schema({ schema: name }).tags.flatMap((tag) =>
    tag.tag !== 'tag:yaml.org,2002:str' && tag.default !== false && tag.test !== undefined
      ? [tag.test]
      : [],
  ),
)

/**
 * Go's `strconv.ParseInt(s, 0, 64)` behind go-yaml also reads `0o17`, `0B11`
 * and `0X1F`; anything that merely starts like a number is quoted too, which
 * costs nothing and covers parser differences.
 */
const NUMBER_LIKE = /^[-+]?\.?[0-9]/

/**
 * True when `value`, written as a plain (unquoted) scalar, would be read back
 * by a YAML 1.1 or 1.2 reader as something other than this exact string: a
 * bool, number, null, timestamp or merge key. Such a string must be quoted.
 * Used for JSON input turned into YAML, and by the placeholder engine when it
 * writes a substituted string into a plain scalar.
 */
export function isAmbiguousAsPlain(value: string): boolean {
  return NUMBER_LIKE.test(value) || IMPLICIT_TESTS.some((test) => test.test(value))
}
