// The AWS SDK is imported in exactly one file, and only `entry.load()`
// reaches it: choosing another backend (or only parsing the AWS config) never
// loads the SDK (style guide B.1).
import fs from 'node:fs'
import path from 'node:path'
import { awsBackend } from '../../../../src/backends/aws/entry'

const SRC = path.resolve(__dirname, '../../../../src')

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(full)
    return e.name.endsWith('.ts') ? [full] : []
  })
}

/** Module specifiers of value imports and requires (not `import type`). */
function valueImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  const specs: string[] = []
  for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gms))
    specs.push(m[1] ?? '')
  for (const m of text.matchAll(/require\('([^']+)'\)/g)) specs.push(m[1] ?? '')
  return specs
}

test('only src/backends/aws/port.ts imports @aws-sdk', () => {
  const importers = sourceFiles(SRC)
    .filter((f) => valueImports(f).some((s) => s.startsWith('@aws-sdk/')))
    .map((f) => path.relative(SRC, f))
  expect(importers).toEqual([path.join('backends', 'aws', 'port.ts')])
})

test('the static import graph of entry.ts never reaches port.ts', () => {
  // `load()` uses a lazy require, which this walk deliberately does not follow.
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = fs.readFileSync(file, 'utf8')
    for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gms)) {
      const target = path.resolve(path.dirname(file), `${(m[1] ?? '').replace(/\.js$/, '')}.ts`)
      visit(target)
    }
  }
  visit(path.join(SRC, 'backends', 'aws', 'entry.ts'))
  const reached = [...seen].map((f) => path.relative(SRC, f))
  expect(reached).toContain(path.join('backends', 'aws', 'config.ts'))
  expect(reached).not.toContain(path.join('backends', 'aws', 'port.ts'))
  expect(reached).not.toContain(path.join('backends', 'aws', 'factory.ts'))
})

test('load() gives the factory', async () => {
  expect(awsBackend.type).toBe('awssecretsmanager')
  expect(typeof (await awsBackend.load())).toBe('function')
})
