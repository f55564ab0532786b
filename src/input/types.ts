/**
 * A piece of manifest text before parsing: one file of a plain directory,
 * stdin, or the stdout of `helm template` / `kustomize build`.
 */
export interface InputText {
  /** Shown in messages: the file path as given, `<stdin>`, or `helm template` / `kustomize build`. */
  readonly source: string
  readonly text: string
  /**
   * True for files of a plain directory, where YAML that is not a Kubernetes
   * object (`values.yaml`, `Chart.yaml`, `kustomization.yaml`) is skipped with a
   * debug note (AVP #252). False for streams, where such a document is an error.
   */
  readonly skipNonObjects: boolean
}
