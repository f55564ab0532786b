import { evaluate } from './json-path-eval'
import type { Scope } from './json-path-eval'
import { parseTemplate } from './json-path-parse'
import { printValue } from './json-path-print'
import type { TemplateNode } from './json-path-types'
import { JsonPathError } from './json-path-types'
import type { ModifierFactory, ModifierResult } from './types'
import { fail, ok } from './types'

/**
 * `jsonPath <template>`: Kubernetes JSONPath (client-go `util/jsonpath`, as AVP
 * uses it with AllowMissingKeys(false)). The arguments are joined with single
 * spaces, as AVP does after splitting the segment on whitespace. The template
 * is parsed at plan time; a string input is JSON-decoded first. The result is
 * always a string.
 */
export const jsonPath: ModifierFactory = (args) => {
  if (args.length === 0) return { ok: false, failure: 'expects a JSONPath template' }
  let template: readonly TemplateNode[]
  try {
    template = parseTemplate(args.join(' '))
  } catch (err) {
    if (err instanceof JsonPathError) return { ok: false, failure: err.message }
    throw err
  }
  return { ok: true, run: (value) => runTemplate(template, value) }
}

function runTemplate(template: readonly TemplateNode[], value: unknown): ModifierResult {
  let data = value
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value) as unknown
    } catch {
      return fail('value is not valid JSON')
    }
  }
  try {
    return ok(render(template, { root: data, current: data }))
  } catch (err) {
    if (err instanceof JsonPathError) return fail(err.message)
    throw err
  }
}

function render(nodes: readonly TemplateNode[], scope: Scope): string {
  let out = ''
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text
    } else if (node.kind === 'action') {
      // Several results of one action are joined by a single space.
      out += evaluate(node.expr, scope).map(printValue).join(' ')
    } else {
      for (const item of evaluate(node.path, scope)) {
        out += render(node.body, { root: scope.root, current: item })
      }
    }
  }
  return out
}
