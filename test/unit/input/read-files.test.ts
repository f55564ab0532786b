import fs from 'node:fs'
import path from 'node:path'
import { ProblemsError } from '../../../src/errors'
import { readInputFiles } from '../../../src/input/read-files'
import { testdir } from '../../support/testdir'

async function problemsOf(promise: Promise<unknown>): Promise<ProblemsError['problems']> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ProblemsError)
  return (err as ProblemsError).problems
}

describe('readInputFiles', () => {
  test('walks recursively in Go order, keeping only .yaml/.yml/.json (case-sensitive)', async () => {
    const root = testdir({
      'secret_path.yaml': 'c',
      'secret.yaml': 'b',
      'secret.json': 'a',
      'sub/inner.yml': 'd',
      'sub.yaml': 'e',
      'UPPER.YAML': 'skipped',
      'notes.txt': 'skipped',
      'file.notyaml': 'skipped',
      Makefile: 'skipped',
      '.hidden/h.json': 'f',
      '.git/config.yaml': 'skipped',
      '.git/refs/x.yml': 'skipped',
      'sub/.git/nested.yaml': 'skipped',
    })
    const inputs = await readInputFiles(root)
    expect(inputs.map((i) => path.relative(root, i.source))).toEqual([
      '.hidden/h.json',
      'secret.json',
      'secret.yaml',
      'secret_path.yaml',
      'sub/inner.yml',
      'sub.yaml',
    ])
    expect(inputs.map((i) => i.text).join('')).toBe('fabcde')
    expect(inputs.every((i) => i.skipNonObjects)).toBe(true)
  })

  test('sources are the root as given joined with the relative path', async () => {
    const root = testdir({ 'x/a.yaml': 'a' })
    const cwd = process.cwd()
    process.chdir(root)
    try {
      const inputs = await readInputFiles('./x/')
      expect(inputs.map((i) => i.source)).toEqual(['x/a.yaml'])
    } finally {
      process.chdir(cwd)
    }
  })

  test('the root itself may be a file', async () => {
    const root = testdir({ 'one.yml': 'kind: A' })
    const file = path.join(root, 'one.yml')
    const inputs = await readInputFiles(file)
    expect(inputs).toEqual([{ source: file, text: 'kind: A', skipNonObjects: true }])
  })

  test('a root file with another extension, an empty dir and a missing path find nothing', async () => {
    const root = testdir({ 'file.txt': 'kind: A', 'empty/.keep': '' })
    for (const target of ['file.txt', 'empty', 'missing']) {
      const problems = await problemsOf(readInputFiles(path.join(root, target)))
      expect(problems).toEqual([
        {
          code: 'INPUT_INVALID',
          message: `no YAML or JSON files were found in ${path.join(root, target)}`,
        },
      ])
    }
  })

  test('symlinked files are read, symlinked directories are not followed', async () => {
    const root = testdir({ 'real/r.yaml': 'r', 'outside/o.yaml': 'o' })
    fs.symlinkSync(path.join(root, 'real/r.yaml'), path.join(root, 'link.yaml'))
    fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'linkdir'))
    fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'linkdir.yaml'))
    fs.mkdirSync(path.join(root, 'dir.yaml'))
    const inputs = await readInputFiles(path.join(root, '.'))
    expect(inputs.map((i) => path.relative(root, i.source))).toEqual([
      'link.yaml',
      'outside/o.yaml',
      'real/r.yaml',
    ])
  })

  test('every unreadable file is reported, naming the file but not the OS message', async () => {
    const root = testdir({ 'ok.yaml': 'a' })
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'b-dangling.yaml'))
    fs.symlinkSync(path.join(root, 'nowhere2'), path.join(root, 'c-dangling.json'))
    const problems = await problemsOf(readInputFiles(root))
    expect(problems).toEqual([
      {
        code: 'INPUT_INVALID',
        message: 'could not read file: no such file (a dangling symlink?)',
        location: { file: path.join(root, 'b-dangling.yaml') },
      },
      {
        code: 'INPUT_INVALID',
        message: 'could not read file: no such file (a dangling symlink?)',
        location: { file: path.join(root, 'c-dangling.json') },
      },
    ])
  })
})

describe('readInputFiles with a display root', () => {
  test('reads from root but names files and messages after the display root', async () => {
    const root = testdir({ 'a.yaml': 'a', 'sub/b.json': 'b', 'f.txt': '' })
    const inputs = await readInputFiles(root, 'app')
    expect(inputs.map((i) => i.source)).toEqual(['app/a.yaml', 'app/sub/b.json'])
    const file = await readInputFiles(path.join(root, 'a.yaml'), 'a.yaml')
    expect(file.map((i) => i.source)).toEqual(['a.yaml'])
    const problems = await problemsOf(readInputFiles(path.join(root, 'f.txt'), 'f.txt'))
    expect(problems.map((p) => p.message)).toEqual(['no YAML or JSON files were found in f.txt'])
  })
})
