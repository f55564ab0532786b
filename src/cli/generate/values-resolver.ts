import { parseDocument } from 'yaml'
import { ProblemsError } from '../../errors'
import type { DebugLog } from '../../log'
import type { PlanOptions } from '../../placeholders'
import { placeholderLikeStrings } from '../../placeholders/substituted'
import type { Redactor } from '../../secrets/redact'
import { printForGoYaml } from '../../yaml/go-yaml-print'
import { addDuplicateKeyErrors, NO_LIBRARY_KEY_CHECK } from '../../yaml/unique-keys'
import type { SecretResolver } from './secret-resolver'
import { substitute } from './substitute'

/**
 * Resolves inline `<path:…>` placeholders in a Helm values file before
 * `helm template` runs, so charts with a `values.schema.json` accept them
 * (AVP #332). A values file has no annotations, so only inline placeholders
 * apply; the text is edited as a YAML tree, never spliced.
 */
export function valuesResolver(
  resolver: SecretResolver,
  planOptions: PlanOptions,
  redactor: Redactor,
  log: DebugLog,
  /** Collects what was substituted, so the rendered manifests never resolve it again. */
  substituted: Set<string>,
): (text: string, source: string) => Promise<string> {
  return async (text, source) => {
    const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
      schema: 'failsafe',
      prettyErrors: false,
      ...NO_LIBRARY_KEY_CHECK,
    })
    addDuplicateKeyErrors(doc)
    if (doc.errors.length > 0) {
      throw new ProblemsError([
        {
          code: 'INPUT_INVALID',
          message: `invalid YAML in values file (line ${String(doc.errors[0]?.linePos?.[0].line ?? '?')})`,
          location: { file: source },
        },
      ])
    }
    const { placeholders, problems } = await substitute(
      [{ source, index: 1, doc }],
      planOptions,
      resolver,
      redactor,
      log,
      (value) => {
        placeholderLikeStrings(value, substituted)
      },
    )
    if (problems.length > 0) throw new ProblemsError(problems)
    // Untouched text stays byte for byte what the user wrote.
    return placeholders === 0 ? text : printForGoYaml(doc, { lineWidth: 0 })
  }
}
