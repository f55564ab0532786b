// Every relative link in README.md, docs/ and examples/ points at a file that exists, and
// every #anchor at a heading of the target page, named as GitHub names it
// (https://github.com/Flet/github-slugger: lower-case, punctuation dropped,
// spaces to hyphens, repeats suffixed -1, -2, ...).
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '../..')

/** The Markdown files the project ships: README.md, docs/ and the examples' READMEs. */
function markdownFiles(): string[] {
  const found = ['README.md']
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name)
      if (entry.isDirectory()) walk(rel)
      else if (entry.name.endsWith('.md')) found.push(rel)
    }
  }
  walk('docs')
  walk('examples')
  return found.sort()
}

/** The text outside fenced code blocks, where links and headings are real. */
function proseLines(text: string): string[] {
  let fenced = false
  return text.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced
      return false
    }
    return !fenced
  })
}

/** GitHub's anchor for a heading's text. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors a Markdown page defines, duplicates numbered as GitHub numbers them. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!heading?.[1]) continue
    const base = slug(heading[1])
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** Problems with the relative links of one page, one line each. */
function brokenLinks(
  file: string,
  text: string,
  readPage: (p: string) => string | undefined,
): string[] {
  const problems: string[] = []
  for (const line of proseLines(text)) {
    for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? ''
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
      const [filePart = '', anchor] = target.split('#', 2)
      const resolved =
        filePart === ''
          ? file
          : path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart))
      const page = readPage(resolved)
      if (page === undefined) {
        problems.push(`${file}: link to missing file ${target}`)
      } else if (anchor !== undefined && !anchorsOf(page).has(anchor)) {
        problems.push(`${file}: link to missing anchor ${target}`)
      }
    }
  }
  return problems
}

/** A page's text, '' for a directory or a non-Markdown file, undefined when missing. */
function readFromRepo(rel: string): string | undefined {
  const full = path.join(ROOT, rel)
  if (!fs.existsSync(full)) return undefined
  return rel.endsWith('.md') ? fs.readFileSync(full, 'utf8') : ''
}

test('every relative link in README.md and docs/ resolves, anchors included', () => {
  const files = markdownFiles()
  expect(files.length).toBeGreaterThan(1)
  const problems = files.flatMap((file) =>
    brokenLinks(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), readFromRepo),
  )
  expect(problems).toEqual([])
})

test('the checker reports a missing file and a missing anchor', () => {
  const pages: Record<string, string> = {
    'docs/a.md': '# Title\n## The `AVP_TYPE` key\n## Repeat\n## Repeat\n',
  }
  const read = (p: string): string | undefined => pages[p]
  const page = [
    '[ok](a.md#the-avp_type-key) [ok](a.md#repeat-1) [ok](#x) [web](https://example.com/#nope)',
    '# X',
    '```',
    '[in a fence](nowhere.md)',
    '```',
    '[gone](b.md) [bad](a.md#repeat-2) [self](#missing)',
  ].join('\n')
  expect(brokenLinks('docs/c.md', page, (p) => (p === 'docs/c.md' ? page : read(p)))).toEqual([
    'docs/c.md: link to missing file b.md',
    'docs/c.md: link to missing anchor a.md#repeat-2',
    'docs/c.md: link to missing anchor #missing',
  ])
})

test('slugs follow GitHub: punctuation dropped, case folded, spaces to hyphens', () => {
  expect(slug('Security: `ARGOCD_ENV_` belongs to the Application author')).toBe(
    'security-argocd_env_-belongs-to-the-application-author',
  )
  expect(slug('Vault: Differences from argocd-vault-plugin')).toBe(
    'vault-differences-from-argocd-vault-plugin',
  )
  expect(slug('1. Build and push the image')).toBe('1-build-and-push-the-image')
})
