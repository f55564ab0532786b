// Component and integration tests start real processes (helm, kustomize, the
// CLI): on a busy CI machine one test can take longer than jest's 5 s default
// without anything being wrong. A file that sets its own timeout keeps it.
jest.setTimeout(30_000)
