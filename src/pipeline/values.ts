import { ProblemsError } from '../errors'
import type { HelmValues, ValuesSource } from '../render/helm-values'
import { printForGoYaml } from '../yaml/go-yaml-print'
import { describeYamlError } from '../yaml/describe-error'
import { parseYamlDocument, stripBom } from '../yaml/parse'
import type { Substituter } from './substitute'

/**
 * Resolves the inline placeholders of a chart's values before `helm template`
 * runs (render-app.ts `prepareRender` collects them; `runRender` uses the
 * result), so charts with a `values.schema.json` accept them (AVP #332).
 */
export async function resolveHelmValues(
  values: HelmValues,
  resolveText: (text: string, source: string) => Promise<string>,
): Promise<HelmValues> {
  if (!values.resolvePlaceholders) return values
  const sources: ValuesSource[] = []
  for (const source of values.sources) {
    sources.push(
      source.text === undefined
        ? source
        : { ...source, resolved: await resolveText(source.text, source.label) },
    )
  }
  return { ...values, sources }
}

/**
 * Resolves inline `<path:…>` placeholders in one values text. A values file
 * has no annotations, so only inline placeholders apply; the text is edited
 * as a YAML tree, never spliced.
 */
export function valuesResolver(
  substitute: Substituter,
): (text: string, source: string) => Promise<string> {
  return async (text, source) => {
    const body = stripBom(text)
    const { result: doc, lineCounter } = parseYamlDocument(body, 'valuesFile')
    const [error] = doc.errors
    if (error !== undefined) {
      throw new ProblemsError([
        {
          code: 'INPUT_INVALID',
          message: `invalid YAML in values file: ${describeYamlError(error, body, 0, lineCounter)}`,
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
