import {
  Composer,
  LineCounter,
  parseAllDocuments,
  Parser,
  parseDocument,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type Tags,
} from 'yaml'
import { addDuplicateKeyErrors } from './unique-keys'

/**
 * The kinds of YAML the plugin reads, each with the options it is read with:
 *
 * - `manifest`: Kubernetes manifests (files, helm and kustomize output). The
 *   FAILSAFE schema keeps each scalar a string holding its source text, so
 *   untouched values print verbatim. Duplicate keys are allowed: go-yaml v2
 *   keeps the last one, and charts do produce them.
 * - `valuesFile`: a Helm values file whose placeholders are resolved before
 *   helm runs. FAILSAFE for the same reason; duplicate keys allowed, since
 *   helm accepts them.
 * - `valuesData`: a values file read as data (comparing `--set` entries).
 * - `secretsFile`: the `file` backend's secrets. The core schema, so numbers
 *   and booleans keep their type as they would from Vault; a duplicate key is
 *   refused, since which secret is meant would be a guess.
 * - `configFile`: a `--config-path` file; a duplicate key is refused, since
 *   which setting wins would be a guess.
 * - `chartFile`: `Chart.yaml`; a duplicate key is refused (helm refuses it too).
 * - `scopePolicy`: the operator's `AVP_SCOPE_POLICY`; a duplicate key is
 *   refused, since a second `paths:` would silently replace the first.
 * - `secretValue`: a secret's text read by the `yamlParse` modifier, as
 *   sigs.k8s.io/yaml reads it: YAML 1.1, timestamps kept as strings; a
 *   duplicate key is refused.
 * - `printedOutput`: our own printed YAML read back as Argo CD's go-yaml v2
 *   decoder reads it, for `--output json`: YAML 1.1 without timestamps or
 *   sexagesimal numbers.
 */
const PRESETS: Readonly<Record<YamlKind, Preset>> = {
  manifest: { schema: 'failsafe', duplicateKeys: true },
  valuesFile: { schema: 'failsafe', duplicateKeys: true },
  valuesData: { schema: 'core', duplicateKeys: true },
  secretsFile: { schema: 'core', duplicateKeys: false, extraDocuments: 'ignored' },
  configFile: { schema: 'core', duplicateKeys: false },
  chartFile: { schema: 'core', duplicateKeys: false },
  scopePolicy: { schema: 'core', duplicateKeys: false },
  secretValue: {
    version: '1.1',
    customTags: withoutTimestamps,
    duplicateKeys: false,
    extraDocuments: 'ignored',
  },
  printedOutput: {
    version: '1.1',
    customTags: goYamlV2Tags,
    duplicateKeys: true,
    extraDocuments: 'ignored',
  },
}

interface Preset {
  readonly schema?: 'failsafe' | 'core'
  readonly version?: '1.1'
  readonly customTags?: (tags: Tags) => Tags
  /** Whether a repeated map key is accepted (true) or an error (false). */
  readonly duplicateKeys: boolean
  /**
   * A second document where one is read: an error by default; `ignored` reads
   * the first (the library then needs `logLevel: 'silent'`).
   */
  readonly extraDocuments?: 'ignored'
}

/** sigs.k8s.io/yaml keeps timestamps as strings when the target is `interface{}`. */
function withoutTimestamps(tags: Tags): Tags {
  return tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp')
}

/**
 * go-yaml v2 (behind Argo CD's decoder) keeps timestamps such as `2001-12-14`
 * as strings and has no sexagesimal numbers (`1:20`), so those tags of the
 * `yaml` library's 1.1 schema are dropped.
 */
function goYamlV2Tags(tags: Tags): Tags {
  return tags.filter(
    (tag) =>
      typeof tag === 'string' ||
      (tag.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in tag && tag.format === 'TIME')),
  )
}

export type YamlKind =
  | 'manifest'
  | 'valuesFile'
  | 'valuesData'
  | 'secretsFile'
  | 'configFile'
  | 'chartFile'
  | 'scopePolicy'
  | 'secretValue'
  | 'printedOutput'

/**
 * Options every parse shares. `prettyErrors: false` because pretty errors quote
 * the offending line, which may hold a secret; the library's own duplicate-key
 * check is off because it is quadratic (unique-keys.ts does it in linear time
 * where a kind refuses duplicates).
 */
function optionsOf(
  kind: YamlKind,
  lineCounter: LineCounter,
): ParseOptions & DocumentOptions & SchemaOptions {
  const preset = PRESETS[kind]
  return {
    ...(preset.schema === undefined ? {} : { schema: preset.schema }),
    ...(preset.version === undefined ? {} : { version: preset.version }),
    ...(preset.customTags === undefined ? {} : { customTags: preset.customTags }),
    prettyErrors: false,
    uniqueKeys: false,
    // Never 'warn': the library's warnings go to process.emitWarning and can quote keys.
    logLevel: preset.extraDocuments === 'ignored' ? 'silent' : 'error',
    lineCounter,
  }
}

/** A parsed text and the line index of that text, for error positions. */
export interface ParsedYaml<T> {
  readonly result: T
  readonly lineCounter: LineCounter
}

/** One document of `kind`; its problems are in `doc.errors` (describe them with describe-error.ts). */
export function parseYamlDocument(text: string, kind: YamlKind): ParsedYaml<Document> {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, optionsOf(kind, lineCounter))
  if (!PRESETS[kind].duplicateKeys) addDuplicateKeyErrors(doc)
  return { result: doc, lineCounter }
}

/** Every document of a stream of `kind`. */
export function parseYamlStream(text: string, kind: YamlKind): ParsedYaml<Document[]> {
  const lineCounter = new LineCounter()
  const list: Document[] = [...parseAllDocuments(text, optionsOf(kind, lineCounter))]
  if (!PRESETS[kind].duplicateKeys) list.forEach(addDuplicateKeyErrors)
  return { result: list, lineCounter }
}

/**
 * Every document of a stream of `kind`, composed one at a time (what
 * `parseYamlStream` does in one go), so a run can stop between two documents
 * of a long stream. The line counter fills as the parser reads.
 */
export function streamYamlDocuments(
  text: string,
  kind: YamlKind,
): ParsedYaml<Generator<Document, void, undefined>> {
  const lineCounter = new LineCounter()
  const options = optionsOf(kind, lineCounter)
  const checkKeys = !PRESETS[kind].duplicateKeys
  function* documents(): Generator<Document, void, undefined> {
    const composer = new Composer(options)
    for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
      for (const doc of composer.next(token)) {
        if (checkKeys) addDuplicateKeyErrors(doc)
        yield doc
      }
    }
    for (const doc of composer.end()) {
      if (checkKeys) addDuplicateKeyErrors(doc)
      yield doc
    }
  }
  return { result: documents(), lineCounter }
}

/** The text without a leading UTF-8 byte-order mark, the one place it is removed. */
export function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text
}
