import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Creates a throwaway directory holding `files` (relative path → content) and returns its path. */
export function testdir(files: Readonly<Record<string, string>> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'asp-test-'))
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel)
    fs.mkdirSync(path.dirname(full), { recursive: true })
    fs.writeFileSync(full, content)
  }
  return root
}
