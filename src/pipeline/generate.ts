import type { Io } from '../io'
import type { DebugLog } from '../log'
import { formatManifests } from '../output/write'
import { recordVersions } from '../placeholders'
import type { Redactor } from '../secrets/redact'
import { prepareRun, problemsError, type RunInput } from './prepare-run'

export interface GenerateOptions extends RunInput {
  readonly output: 'yaml' | 'json'
  readonly allowEmpty: boolean
}

/**
 * The generate pipeline (docs/architecture.md): configuration, input (rendered
 * or read), plan (collect and dedupe every reference), one batched fetch,
 * substitution into the YAML trees, and output. Returns the text for stdout;
 * any problem throws, so the caller prints nothing on stdout (fail closed,
 * docs/design/argocd-cmp-contract.md).
 */
export async function runGenerate(
  options: GenerateOptions,
  io: Io,
  redactor: Redactor,
  log: DebugLog,
): Promise<string> {
  const run = await prepareRun(options, io, redactor, log)
  await run.pace.step(true)
  const { problems, plan, lookups } = await run.substitute(run.manifests)
  if (problems.length > 0) throw problemsError(problems)
  if (run.recordVersions && lookups !== undefined) recordVersions(plan, lookups)
  await run.pace.step(true)

  if (run.manifests.length === 0 && !options.allowEmpty) {
    // Argo CD reads an empty, successful output as "this app has no resources"
    // and, with auto-sync and prune, deletes them all (docs/design/argocd-cmp-contract.md).
    throw problemsError([
      {
        code: 'INPUT_INVALID',
        message:
          'no Kubernetes objects found; refusing to print an empty stream (Argo CD would prune every resource of the app). Pass --allow-empty if this is intended',
      },
    ])
  }
  const out = formatManifests(run.manifests, options.output)
  await run.pace.step(true)
  return out
}
