import fs from 'node:fs/promises'
import path from 'node:path'

export type DetectedMode = 'helm' | 'kustomize' | 'plain'

/** The file names kustomize itself accepts as a kustomization (kustomize `konfig.RecognizedKustomizationFileNames`). */
export const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
] as const

/**
 * How to render an app directory, decided by the files at its top level, in
 * Argo CD's own order of precedence: a chart wins over a kustomization, which
 * wins over plain YAML. Only the top level counts, so a plain app with a
 * vendored chart in a subfolder stays plain.
 */
export async function detectMode(appDir: string): Promise<DetectedMode> {
  if (await isFile(path.join(appDir, 'Chart.yaml'))) return 'helm'
  for (const name of KUSTOMIZATION_FILES) {
    if (await isFile(path.join(appDir, name))) return 'kustomize'
  }
  return 'plain'
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile()
  } catch {
    return false
  }
}
