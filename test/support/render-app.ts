// Render an app in-process as the pipeline does: prepare, resolve a chart's
// values-file placeholders with the given function, run the tool.
import { resolveHelmValues } from '../../src/pipeline/values'
import type { InputText } from '../../src/input/types'
import { prepareRender, runRender, type RenderRequest } from '../../src/render/render-app'

export type RenderAppRequest = RenderRequest & {
  /** Stands in for the pipeline's resolver of values-file placeholders. */
  readonly resolveValues: (text: string, source: string) => Promise<string>
}

export async function renderApp(req: RenderAppRequest): Promise<InputText[]> {
  const job = await prepareRender(req)
  const ready =
    job.kind === 'helm'
      ? { ...job, values: await resolveHelmValues(job.values, req.resolveValues) }
      : job
  return runRender(ready, req)
}
