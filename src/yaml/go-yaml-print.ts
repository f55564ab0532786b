import { Scalar, type Document, type ScalarTag, type Schema, type ToStringOptions } from 'yaml'
import type { StringifyContext } from 'yaml/util'
import { stringifyString } from 'yaml/util'
import { goYamlDoubleQuoted } from './double-quoted'
import { fitsGoYamlBlockScalar, fitsGoYamlFlowPlain, needsGoYamlEscapes } from './go-yaml-chars'

const STR = 'tag:yaml.org,2002:str'

/**
 * The `yaml` library escapes only what JSON escapes, so it writes U+0085,
 * U+2028, U+2029, DEL, C1 controls and U+FEFF raw, in any scalar style; go-yaml
 * then reads a line break or refuses the document (go-yaml-chars.ts). Strings
 * holding any of them are written by `goYamlDoubleQuoted` instead, and so
 * are plain scalars that go-yaml would misread inside a flow collection. A
 * multi-line string is written either as a `|` or `>` block scalar, when
 * go-yaml reads that back exactly, or on one line double-quoted: the library's
 * other multi-line forms (folded quoted and plain scalars) leave the value to
 * a reader's folding rules.
 */
function goYamlStringTag(base: ScalarTag): ScalarTag {
  const delegate = (
    item: Scalar,
    ctx: StringifyContext,
    onComment?: () => void,
    onChompKeep?: () => void,
  ): string =>
    base.stringify
      ? base.stringify(item, ctx, onComment, onChompKeep)
      : stringifyString(item, ctx, onComment, onChompKeep)
  return {
    ...base,
    stringify(item, ctx, onComment, onChompKeep) {
      const value: unknown = item.value
      if (typeof value !== 'string') return delegate(item, ctx, onComment, onChompKeep)
      if (needsGoYamlEscapes(value)) return goYamlDoubleQuoted(value)
      if (!value.includes('\n')) {
        const plain = item.type === undefined || item.type === Scalar.PLAIN
        return plain && ctx.inFlow === true && !fitsGoYamlFlowPlain(value)
          ? goYamlDoubleQuoted(value)
          : delegate(item, ctx, onComment, onChompKeep)
      }
      const block = blockStyle(value, item.type, ctx)
      if (block === undefined) return goYamlDoubleQuoted(value)
      const asBlock = Object.assign(new Scalar(value), item, { type: block })
      return delegate(asBlock, ctx, onComment, onChompKeep)
    },
  }
}

/** The block style a multi-line string keeps, or undefined when it must be quoted. */
function blockStyle(
  value: string,
  type: Scalar.Type | undefined,
  ctx: StringifyContext,
): Scalar.Type | undefined {
  if (ctx.inFlow === true || ctx.implicitKey === true || !fitsGoYamlBlockScalar(value)) {
    return undefined
  }
  if (type === Scalar.BLOCK_FOLDED) return type
  return type === undefined || type === Scalar.BLOCK_LITERAL ? Scalar.BLOCK_LITERAL : undefined
}

const wrapped = new WeakMap<Schema, Schema>()

function withGoYamlStrings(schema: Schema): Schema {
  let result = wrapped.get(schema)
  if (result === undefined) {
    result = schema.clone()
    result.tags = result.tags.map((tag) =>
      tag.tag === STR && tag.collection === undefined ? goYamlStringTag(tag) : tag,
    )
    wrapped.set(schema, result)
  }
  return result
}

/**
 * Prints a Document so that go-yaml (Argo CD, kubectl, Helm) reads back every
 * string exactly (docs/design/byte-exact-values.md). Every YAML text the
 * plugin writes for another program goes through here.
 */
export function printForGoYaml(doc: Document, options: ToStringOptions): string {
  const own = doc.schema
  doc.schema = withGoYamlStrings(own)
  try {
    return doc.toString(options)
  } finally {
    doc.schema = own
  }
}
