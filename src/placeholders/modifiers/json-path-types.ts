/**
 * The syntax tree of a Kubernetes JSONPath template (the dialect of client-go
 * `util/jsonpath` that AVP's `jsonPath` modifier uses, docs/design/avp-semantics.md).
 */
export type Literal = string | number | boolean

/** One step of a path: `.name`, `.*`, `..`, `[i]`, `[a:b:c]`, `[x,y]`, `[?(…)]`. */
export type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'recursive' }
  | { readonly kind: 'index'; readonly index: number }
  | {
      readonly kind: 'slice'
      readonly start?: number
      readonly end?: number
      readonly step: number
    }
  | { readonly kind: 'union'; readonly branches: readonly (readonly Step[])[] }
  | { readonly kind: 'filter'; readonly filter: Filter }

/** Filter comparison operators. */
export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>='

/** `[?(@.x)]` (exists) or `[?(@.x == 'y')]`. */
export type Filter =
  | { readonly op: 'exists'; readonly left: PathExpr }
  | { readonly op: CompareOp; readonly left: Operand; readonly right: Operand }

/** `$` is the value the template runs on; `@` the current value (a range item, a filtered element). */
export interface PathExpr {
  readonly kind: 'path'
  readonly root: '$' | '@'
  readonly steps: readonly Step[]
}

/** A path or a literal: what an action or a filter side evaluates. */
export type Operand = PathExpr | { readonly kind: 'literal'; readonly value: Literal }

/** Literal text, an action `{…}`, or a `{range …}…{end}` block. */
export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly expr: Operand }
  | { readonly kind: 'range'; readonly path: PathExpr; readonly body: readonly TemplateNode[] }

/** Parse and evaluation errors; messages quote the expression, never the data. */
export class JsonPathError extends Error {}
