import { oneLine } from './errors'

/**
 * Debug events for `--verbose`. Each event is a typed record whose fields can
 * only hold paths, keys, counts, timings and outcomes: there is no field that
 * could carry a secret value or a credential (docs/design/engineering-rules.md).
 */
export type DebugEvent =
  | { readonly kind: 'input'; readonly files: number; readonly documents: number }
  | { readonly kind: 'skip-document'; readonly source: string; readonly reason: string }
  | { readonly kind: 'config'; readonly source: string; readonly keys: readonly string[] }
  | { readonly kind: 'plan'; readonly placeholders: number; readonly refs: number }
  | {
      readonly kind: 'fetch'
      readonly path: string
      /** The secret a `refPerKey` backend read (an Azure Key Vault secret name). */
      readonly key?: string
      readonly version?: string
      readonly ms: number
      readonly outcome: string
    }
  | {
      readonly kind: 'batch'
      readonly region: string
      readonly ids: number
      readonly ms: number
      readonly outcome: string
    }
  | {
      readonly kind: 'login'
      readonly method: string
      readonly cached: boolean
      readonly ms: number
    }
  | { readonly kind: 'token-cache'; readonly action: string; readonly reason?: string }
  | { readonly kind: 'mount'; readonly mount: string; readonly kvVersion: string }
  | {
      readonly kind: 'retry'
      readonly what: string
      readonly attempt: number
      readonly delayMs: number
      readonly reason: string
    }
  | { readonly kind: 'render'; readonly tool: string; readonly ms: number }
  | { readonly kind: 'note'; readonly message: string }

export type DebugLog = (event: DebugEvent) => void

/** A log that drops everything: the default when `--verbose` is off. */
export const silentLog: DebugLog = () => undefined

/**
 * Formats one event as a single `debug:` line. JSON quoting escapes LF and
 * controls; `oneLine` also the line breaks JSON leaves raw (U+2028, NEL).
 */
export function formatDebugEvent(event: DebugEvent): string {
  const { kind, ...fields } = event
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
  return oneLine(`debug: ${kind}${parts.length > 0 ? ' ' : ''}${parts.join(' ')}`)
}
