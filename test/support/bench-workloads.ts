import fs from 'node:fs'
import path from 'node:path'

/**
 * The benchmark's apps (docs/performance.md), shared by `npm run bench` and
 * the request-count test so both measure the same thing. Like a real app,
 * most resources hold no placeholder: the placeholders sit in Secrets of
 * `PER_SECRET` entries each, spread over the files between plain
 * Deployments, Services and ConfigMaps.
 */
export interface Workload {
  readonly name: string
  readonly resources: number
  readonly placeholders: number
  /** Distinct Vault paths read (each placeholder reads one of them). */
  readonly paths: number
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'W1 small app', resources: 20, placeholders: 10, paths: 2 },
  { name: 'W2 large app', resources: 500, placeholders: 2_000, paths: 200 },
  { name: 'W3 monorepo app', resources: 5_000, placeholders: 20_000, paths: 1_000 },
]

/** Placeholders per Secret, and resources per file (a file is a `---` stream). */
const PER_SECRET = 10
const PER_FILE = 10
/** Keys in each secret; placeholder `i` reads key `i % KEYS` of path `i % paths`. */
export const KEYS_PER_SECRET = 5

/** The Vault path (KV v2 mount `secret/`) of distinct secret `n`. */
export function secretPath(n: number): string {
  return `bench/s${n}`
}

export function secretData(n: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: KEYS_PER_SECRET }, (_, k) => [`key${k}`, `value-${n}-${k}`]),
  )
}

function secret(index: number, first: number, count: number, paths: number): string {
  const entries: string[] = []
  for (let j = 0; j < count; j++) {
    const n = first + j
    entries.push(
      `  VAR_${j}: <path:secret/data/${secretPath(n % paths)}#key${n % KEYS_PER_SECRET}>`,
    )
  }
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: secret-${index}`,
    'type: Opaque',
    'stringData:',
    ...entries,
  ].join('\n')
}

const PLAIN: readonly ((i: number) => string)[] = [
  (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels:
    app.kubernetes.io/name: app-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
    spec:
      containers:
        - name: app
          image: "registry.example.com/app:1.${i % 50}.0"
          ports:
            - containerPort: 8080
          envFrom:
            - secretRef:
                name: secret-${i}
          resources:
            limits: { cpu: 500m, memory: 256Mi }`,
  (i) => `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - port: 80
      targetPort: 8080 # the container port`,
  (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-${i}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: 'a,b,c'
  settings.json: |
    {"retries": 3, "timeoutSeconds": ${i % 30}}`,
]

/** The manifests of `w`, as files of `PER_FILE` resources each (name → text). */
export function workloadFiles(w: Workload): Map<string, string> {
  const secrets = Math.ceil(w.placeholders / PER_SECRET)
  if (secrets > w.resources) throw new Error(`${w.name}: more Secrets than resources`)
  // Secrets evenly spread among the resources.
  const stride = w.resources / secrets
  const docs: string[] = []
  let placed = 0
  let nextSecret = 0
  for (let i = 0; i < w.resources; i++) {
    if (nextSecret < secrets && i >= Math.floor(nextSecret * stride)) {
      const count = Math.min(PER_SECRET, w.placeholders - placed)
      docs.push(secret(i, placed, count, w.paths))
      placed += count
      nextSecret++
    } else {
      const plain = PLAIN[i % PLAIN.length]
      if (plain === undefined) throw new Error('unreachable')
      docs.push(plain(i))
    }
  }
  const files = new Map<string, string>()
  for (let f = 0; f * PER_FILE < docs.length; f++) {
    const text = docs.slice(f * PER_FILE, (f + 1) * PER_FILE).join('\n---\n')
    files.set(`manifests-${String(f).padStart(4, '0')}.yaml`, `${text}\n`)
  }
  return files
}

export function writeWorkload(w: Workload, dir: string): void {
  fs.mkdirSync(dir, { recursive: true })
  for (const [name, text] of workloadFiles(w)) fs.writeFileSync(path.join(dir, name), text)
}
