// The integration project drives only the built CLI, as Argo CD does (see
// jest.config.js); a test that imports src in-process belongs in test/unit or
// test/component, where a reader expects it.
import fs from 'node:fs'
import path from 'node:path'

const INTEGRATION = path.resolve(__dirname, '../integration')

/** The files under test/integration whose imports reach into src/. */
function integrationFilesImportingSrc(): string[] {
  return fs
    .readdirSync(INTEGRATION, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .filter((file) =>
      /\bfrom\s+'(\.\.\/)+src\//.test(fs.readFileSync(path.join(INTEGRATION, file), 'utf8')),
    )
}

test('no integration test imports src', () => {
  expect(integrationFilesImportingSrc()).toEqual([])
})

/** The src files of `dir` whose imports reach any of `targets` (folders under src/). */
function importersOf(dir: string, targets: readonly string[]): string[] {
  const root = path.resolve(__dirname, '../../src', dir)
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => {
      const text = fs.readFileSync(path.join(root, file), 'utf8')
      return targets.some((t) => new RegExp(`from\\s+'(\\.\\./)+${t}/`).test(text))
    })
}

test('layers point one way: nothing below the pipeline imports it or cli/', () => {
  for (const dir of ['config', 'render', 'placeholders', 'backends', 'output', 'input', 'yaml']) {
    expect({ dir, importers: importersOf(dir, ['pipeline', 'cli']) }).toEqual({
      dir,
      importers: [],
    })
  }
})

test('only the pipeline holds the redactor; config and backends get a write-only sink', () => {
  // cli/program.ts creates it and masks stderr with it; secrets/redact.ts defines it.
  const src = path.resolve(__dirname, '../../src')
  const holders = fs
    .readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => /\bRedactor\b/.test(fs.readFileSync(path.join(src, file), 'utf8')))
    .filter((file) => !file.startsWith(`pipeline${path.sep}`))
    .sort()
  expect(holders).toEqual([path.join('cli', 'program.ts'), path.join('secrets', 'redact.ts')])
})

test('the code cites only documents of this repository or public URLs', () => {
  const root = path.resolve(__dirname, '../..')
  // Built from parts so that this file does not match itself.
  const outside = new RegExp(
    ['contracts', 'avp-behaviour', 'users-and-peers'].map((n) => `${n}\\.md`).join('|') +
      '|style ' +
      'guide|\\b[Ii]ssue [0-9]',
  )
  const citing = ['src', 'test', 'scripts', 'examples']
    .flatMap((dir) =>
      fs
        .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
        .map((file) => path.join(dir, file)),
    )
    .concat(['Dockerfile', 'plugin.yaml', 'jest.config.js', 'eslint.config.mjs'])
    .filter((file) => /\.(ts|mjs|js|sh|ya?ml|env)$|Dockerfile$/.test(file))
    .filter((file) => fs.statSync(path.join(root, file)).isFile())
    .filter((file) => outside.test(fs.readFileSync(path.join(root, file), 'utf8')))
  expect(citing).toEqual([])
})
