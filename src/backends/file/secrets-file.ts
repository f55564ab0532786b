import { lineOf } from '../../yaml/describe-error'
import { parseYamlDocument, stripBom } from '../../yaml/parse'
import { Secret } from '../../secrets/secret'
import type { FetchFailure, Lookup, SecretData, SecretRef } from '../../secrets/ref'
import { describeFile, fileFailure, notFound } from './errors'

/** A loaded secrets file: answers one ref at a time, never throws. */
export interface SecretsFile {
  lookup(ref: SecretRef): Lookup
}

/** One path of the file: a map of keys, or a list of versions (1-based, the last is the latest). */
type Entry =
  | { readonly kind: 'single'; readonly data: SecretData }
  | { readonly kind: 'versions'; readonly versions: readonly SecretData[] }
  | { readonly kind: 'invalid' }

const VERSION = /^[1-9][0-9]*$/

/**
 * Parses the secrets file, with the default YAML 1.2 core schema so that
 * numbers and booleans keep their type, as they would coming from Vault:
 *
 * ```yaml
 * secret/data/app: {password: s3cret, port: 8080}
 * kv/data/versioned: [{secret: version1}, {secret: version2}]
 * ```
 * A file that cannot be parsed makes every lookup fail with CONFIG_INVALID;
 * the message names the file and a line, never the parser's text, which can
 * quote a value.
 */
export function parseSecretsFile(text: string, displayPath: string): SecretsFile {
  const { result: doc, lineCounter } = parseYamlDocument(stripBom(text), 'secretsFile')
  const error = doc.errors[0]
  if (error !== undefined) {
    const line = lineOf(lineCounter, error.pos[0])
    return failingSecretsFile(
      fileFailure(displayPath, `is not valid YAML or JSON (line ${String(line)})`),
    )
  }
  let root: unknown
  try {
    root = doc.toJS({ maxAliasCount: 1000 })
  } catch {
    return failingSecretsFile(fileFailure(displayPath, 'has too many aliases'))
  }
  root ??= {}
  if (!isRecord(root)) {
    return failingSecretsFile(fileFailure(displayPath, 'must be a map of secret paths'))
  }
  const entries = new Map(Object.entries(root).map(([p, value]) => [p, toEntry(value)]))
  return { lookup: (ref) => lookupEntry(entries.get(ref.path), ref, displayPath) }
}

/** A file that could not be used: every lookup fails with the same failure. */
export function failingSecretsFile(error: FetchFailure): SecretsFile {
  return { lookup: () => ({ ok: false, failure: error }) }
}

function toEntry(value: unknown): Entry {
  if (isRecord(value)) return { kind: 'single', data: value }
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
    return { kind: 'versions', versions: value }
  }
  return { kind: 'invalid' }
}

function lookupEntry(entry: Entry | undefined, ref: SecretRef, displayPath: string): Lookup {
  if (entry === undefined) {
    return { ok: false, failure: notFound(`secret ${ref.path} not found in the secrets file`) }
  }
  switch (entry.kind) {
    case 'invalid':
      return {
        ok: false,
        failure: {
          code: 'CONFIG_INVALID',
          message: `${describeFile(displayPath)}: ${ref.path} must be a map of keys or a list of maps`,
        },
      }
    case 'single':
      // One version only: a requested version is ignored, as Vault KV v1 ignores it.
      return { ok: true, data: new Secret(entry.data) }
    case 'versions': {
      const { version } = ref
      if (version === undefined) {
        return { ok: true, data: new Secret(entry.versions[entry.versions.length - 1] ?? {}) }
      }
      const data = VERSION.test(version) ? entry.versions[Number(version) - 1] : undefined
      if (data === undefined) {
        return { ok: false, failure: notFound(`version ${version} of ${ref.path} not found`) }
      }
      return { ok: true, data: new Secret(data) }
    }
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
