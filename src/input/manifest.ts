import type { Document } from 'yaml'

/**
 * One Kubernetes object read from the input, as a `yaml` Document that the
 * placeholder engine edits in place. Documents are parsed with the failsafe
 * schema: every scalar is a string holding its source text, so a scalar the
 * engine does not touch prints exactly as written (`commitId: 81111e1` stays
 * `81111e1`, AVP #383) and untouched `yes`/`0x1F`/`012` keep their meaning.
 */
export interface Manifest {
  /** The file the document came from, as displayed in messages (`<stdin>` for `-`). */
  readonly source: string
  /** 1-based index of the document within its source, counting skipped documents. */
  readonly index: number
  readonly doc: Document
}
