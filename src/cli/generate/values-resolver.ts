import { parseDocument } from 'yaml'
import { ProblemsError } from '../../errors'
import { printForGoYaml } from '../../yaml/go-yaml-print'
import { addDuplicateKeyErrors, NO_LIBRARY_KEY_CHECK } from '../../yaml/unique-keys'
import type { Substituter } from './substitute'

/**
 * Resolves inline `<path:…>` placeholders in a Helm values file before
 * `helm template` runs, so charts with a `values.schema.json` accept them
 * (AVP #332). A values file has no annotations, so only inline placeholders
 * apply; the text is edited as a YAML tree, never spliced.
 */
export function valuesResolver(
  substitute: Substituter,
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
    const { placeholders, problems } = await substitute([{ source, index: 1, doc }])
    if (problems.length > 0) throw new ProblemsError(problems)
    // Untouched text stays byte for byte what the user wrote.
    return placeholders === 0 ? text : printForGoYaml(doc, { lineWidth: 0 })
  }
}
