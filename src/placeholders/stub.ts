import { createHash } from 'node:crypto'
import type { Outcome } from './resolve'
import type { PlannedPlaceholder, PlannedSite } from './types'

/**
 * Fields whose schema asks for an integer, matched by their last key. A stub
 * there must be a number, or kubeconform and `kubectl apply --dry-run` refuse
 * the manifest before the real value could ever matter.
 */
const INTEGER_FIELDS = new Set([
  'replicas',
  'minReplicas',
  'maxReplicas',
  'port',
  'containerPort',
  'hostPort',
  'nodePort',
  'targetPort',
  'number',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'minReadySeconds',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'initialDelaySeconds',
  'periodSeconds',
  'timeoutSeconds',
  'successThreshold',
  'failureThreshold',
  'backoffLimit',
  'completions',
  'parallelism',
  'ttlSecondsAfterFinished',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'defaultMode',
  'mode',
  'weight',
  'priority',
])

/** Fields whose schema asks for a boolean, matched by their last key. */
const BOOLEAN_FIELDS = new Set([
  'enabled',
  'readOnly',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'automountServiceAccountToken',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'stdin',
  'tty',
  'suspend',
  'paused',
  'optional',
  'immutable',
])

const SKIP: Outcome = { kind: 'skip' }

/**
 * The dummy `generate --stub` writes for a placeholder: no backend is asked.
 * It is derived from the reference alone (path, version and key), so the
 * output is the same on every run, and typed for where it goes: a number or
 * boolean where the field needs one, valid base64 in a Secret's `data`, the
 * shape of the last modifier's output otherwise.
 */
export function stubOutcome(planned: PlannedPlaceholder, site: PlannedSite): Outcome {
  const placeholder = planned.placeholder
  if (placeholder === undefined) return SKIP
  const seed = JSON.stringify([
    planned.ref?.path ?? '',
    planned.ref?.version ?? '',
    placeholder.source.key,
  ])
  const digest = createHash('sha256').update(seed).digest('hex')
  const text = `stub-${digest.slice(0, 12)}`
  const wholeField =
    site.placeholders.length === 1 && planned.start === 0 && planned.end === site.text.length
  if (wholeField && site.encoding === 'plain') {
    const name = lastKey(site.field)
    if (INTEGER_FIELDS.has(name)) return value(1 + (parseInt(digest.slice(0, 6), 16) % 100))
    if (BOOLEAN_FIELDS.has(name)) return value(parseInt(digest.slice(0, 1), 16) % 2 === 0)
    if (site.context.kind === 'Secret' && inSecretData(site.field)) {
      return value(Buffer.from(text).toString('base64'))
    }
  }
  const last = placeholder.modifiers.at(-1)?.name
  if (last === 'sha256sum') return value(digest)
  if (last === 'base64encode') return value(Buffer.from(text).toString('base64'))
  return value(text)
}

function value(v: unknown): Outcome {
  return { kind: 'value', value: v }
}

/** `spec.ports[0].port` → `port`; `data["a.b"]` → `a.b`. */
function lastKey(field: string): string {
  const quoted = /\["((?:[^"\\]|\\.)*)"\]$/.exec(field)
  if (quoted !== null) return quoted[1] ?? ''
  const plain = field.replace(/(\[\d+\])+$/, '')
  return plain.slice(plain.lastIndexOf('.') + 1)
}

/** A value directly under the object's `data` (the object may be an item of a List). */
function inSecretData(field: string): boolean {
  return /^(?:items\[\d+\]\.)*data(?:\.[^.[]+|\["(?:[^"\\]|\\.)*"\])$/.test(field)
}
