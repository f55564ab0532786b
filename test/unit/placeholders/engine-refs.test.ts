import { parse } from 'yaml'
import type { Lookup, RefKey } from '../../../src/secrets/ref'
import { applySubstitution, planSubstitution } from '../../../src/placeholders'
import { Failure, brief, manifestsOf, run, withPath } from './helpers'

const store = {
  'secret/data/app': { a: 'A', b: 'B', secret: 'latest' },
  'secret/data/app@2': { secret: 'version1' },
  'secret/data/app@3': { a: 'A3' },
  'secret/allowed/x': { a: 'ok' },
  'secret/data/other': { a: 'other' },
}

describe('refs are deduplicated', () => {
  test('40 inline placeholders on one path make one ref', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `  k${String(i)}: <path:secret/data/app#a>`)
    const { plan, problems, out } = run(`kind: Thing\ndata:\n${lines.join('\n')}\n`, store)
    expect(plan.refs).toEqual([{ path: 'secret/data/app' }])
    expect(plan.placeholderCount).toBe(40)
    expect(problems).toEqual([])
    expect(out.match(/: A$/gm)).toHaveLength(40)
  })

  test('generic and inline placeholders on the same path share a ref; refs keep first-seen order', () => {
    const docs = [
      'kind: Thing\nv: <path:secret/data/other#a>\n',
      withPath('x: <a>\ny: <path:secret/data/app#b>\nz: "<path: secret/data/app #a>"\n'),
    ]
    const { plan, out } = run(docs, store)
    expect(plan.refs).toEqual([{ path: 'secret/data/other' }, { path: 'secret/data/app' }])
    expect(out).toContain('x: A\ny: B\nz: "A"\n')
  })

  test('secret-version applies to generic placeholders only (AVP fixture secret_versioned)', () => {
    const input = withPath(
      'g: <secret>\ni: <path:secret/data/app#secret>\nv: <path:secret/data/app#a#3>\n',
    ).replace('  annotations:\n', '  annotations:\n    avp.kubernetes.io/secret-version: "2"\n')
    const { plan, out, problems } = run(input, store)
    expect(problems).toEqual([])
    expect(plan.refs).toEqual([
      { path: 'secret/data/app', version: '2' },
      { path: 'secret/data/app' },
      { path: 'secret/data/app', version: '3' },
    ])
    expect(parse(out)).toMatchObject({ g: 'version1', i: 'latest', v: 'A3' })
  })

  test('kv-version applies to generic and inline refs; an empty value is unset', () => {
    const annotate = (value: string): string =>
      withPath('g: <a>\ni: <path:secret/data/other#a>\n').replace(
        '  annotations:\n',
        `  annotations:\n    avp.kubernetes.io/kv-version: ${value}\n`,
      )
    expect(run(annotate('1'), store).plan.refs).toEqual([
      { path: 'secret/data/app', kvVersion: '1' },
      { path: 'secret/data/other', kvVersion: '1' },
    ])
    expect(run(annotate('""'), store).plan.refs).toEqual([
      { path: 'secret/data/app' },
      { path: 'secret/data/other' },
    ])
  })
})

describe('AVP_PATH_VALIDATION', () => {
  const pathValidation = /secret\/allowed/

  test('a disallowed annotation path is reported once and not fetched', () => {
    const { problems, fetched } = run(withPath('x: <a>\ny: <b>\n'), store, { pathValidation })
    expect(fetched).toEqual([])
    expect(brief(problems)).toEqual([
      'PATH_DISALLOWED metadata.annotations["avp.kubernetes.io/path"] -: the path secret/data/app is disallowed by AVP_PATH_VALIDATION restriction',
    ])
  })

  test('inline paths are checked one by one; the test is unanchored', () => {
    const input = 'kind: Thing\nx: <path:secret/data/app#a>\ny: <path:secret/allowed/x#a>\n'
    const { problems, fetched, out } = run(input, store, { pathValidation })
    expect(fetched).toEqual([{ path: 'secret/allowed/x' }])
    expect(brief(problems)).toEqual([
      'PATH_DISALLOWED x <path:secret/data/app#a>: the path secret/data/app is disallowed by AVP_PATH_VALIDATION restriction',
    ])
    expect(out).toContain('y: ok\n')
  })
})

describe("the operator's scoping policy (PathScope)", () => {
  // The engine only asks the scope; what a path means to a backend is not its business.
  const scope = {
    outside: (path: string) => (path.startsWith('secret/allowed/') ? undefined : `${path} is out`),
  }

  test('an annotation path outside the scope is reported once and not fetched', () => {
    const { problems, fetched } = run(withPath('x: <a>\ny: <b>\n'), store, { scope })
    expect(fetched).toEqual([])
    expect(brief(problems)).toEqual([
      'PATH_OUT_OF_SCOPE metadata.annotations["avp.kubernetes.io/path"] -: secret/data/app is out',
    ])
  })

  test('every inline path outside the scope is one located problem; the others are planned', () => {
    const input =
      'kind: Thing\nx: <path:secret/data/app#a>\ny: <path:secret/allowed/x#a>\nz: <path:secret/data/other#a>\n'
    const { problems, fetched } = run(input, store, { scope })
    expect(fetched).toEqual([{ path: 'secret/allowed/x' }])
    expect(brief(problems)).toEqual([
      'PATH_OUT_OF_SCOPE x <path:secret/data/app#a>: secret/data/app is out',
      'PATH_OUT_OF_SCOPE z <path:secret/data/other#a>: secret/data/other is out',
    ])
  })

  test('AVP_PATH_VALIDATION is asked first: a path it refuses is one problem, not two', () => {
    const input = 'kind: Thing\nx: <path:secret/data/app#a>\n'
    const { problems } = run(input, store, { scope, pathValidation: /allowed/ })
    expect(brief(problems).map((p) => p.split(' ')[0])).toEqual(['PATH_DISALLOWED'])
  })
})

describe('avp.kubernetes.io/ignore', () => {
  const ignored = (value: string): string =>
    withPath('x: <a>\ny: <path:secret/data/other#a>\n').replace(
      '  annotations:\n',
      `  annotations:\n    avp.kubernetes.io/ignore: "${value}"\n`,
    )

  test.each(['1', 't', 'T', 'TRUE', 'true', 'True'])(
    '"%s": untouched, and its paths not fetched',
    (value) => {
      const input = ignored(value)
      const { out, fetched, problems } = run(input, store, { pathValidation: /nothing/ })
      expect(out).toBe(input)
      expect(fetched).toEqual([])
      expect(problems).toEqual([])
    },
  )

  test.each(['false', 'yes', 'on', ''])('"%s" does not ignore', (value) => {
    expect(run(ignored(value), store).out).toContain('x: A\ny: other\n')
  })
})

describe('problems', () => {
  test('carry file, document, Kind/name, field and the placeholder as written', () => {
    const docs = [
      'kind: Thing\nmetadata: {name: one}\nspec:\n  containers:\n    - image: "<path:secret/data/app#nope | base64encode>"\n',
      'kind: Thing\nv: <path:secret/data/app#nope#3>\n',
      'v: <path:secret/data/app#nope>\n',
    ]
    const { problems } = run(docs, store)
    expect(problems).toEqual([
      {
        code: 'KEY_NOT_FOUND',
        message: 'key "nope" not found in secret/data/app',
        location: {
          file: 'app.yaml',
          document: 1,
          resource: 'Thing/one',
          field: 'spec.containers[0].image',
        },
        placeholder: '<path:secret/data/app#nope | base64encode>',
      },
      {
        code: 'KEY_NOT_FOUND',
        message: 'key "nope" not found in secret/data/app (version 3)',
        location: { file: 'app.yaml', document: 2, resource: 'Thing', field: 'v' },
        placeholder: '<path:secret/data/app#nope#3>',
      },
      {
        code: 'KEY_NOT_FOUND',
        message: 'key "nope" not found in secret/data/app',
        location: { file: 'app.yaml', document: 3, field: 'v' },
        placeholder: '<path:secret/data/app#nope>',
      },
    ])
  })

  test('a failed lookup is reported for each placeholder that needed it', () => {
    const failing = {
      'secret/data/app': new Failure({
        code: 'SECRET_NOT_FOUND',
        message: 'secret/data/app not found',
      }),
    }
    const { problems } = run(withPath('x: <a>\ny: [<b>]\n'), failing)
    expect(brief(problems)).toEqual([
      'SECRET_NOT_FOUND x <a>: secret/data/app not found',
      'SECRET_NOT_FOUND y[0] <b>: secret/data/app not found',
    ])
  })

  test('syntax problems are found at plan time, need no fetch, and are not repeated', () => {
    const input = withPath('x: <a>-<b|>\ny: "<a | nope>"\nz: "<a||base64encode>"\n')
    const { plan, applyProblems, out } = run(input, store)
    expect(brief(plan.problems)).toEqual([
      'PLACEHOLDER_SYNTAX x <b|>: empty modifier',
      'PLACEHOLDER_SYNTAX y <a | nope>: unknown modifier "nope"',
      'PLACEHOLDER_SYNTAX z <a||base64encode>: empty modifier',
    ])
    expect(applyProblems).toEqual([])
    expect(out).toContain('x: <a>-<b|>\n')
  })

  test('a ref missing from the lookups is an INTERNAL problem', () => {
    const manifests = manifestsOf(['kind: Thing\nv: <path:secret/data/app#a>\n'])
    const plan = planSubstitution(manifests, {})
    const problems = applySubstitution(plan, new Map<RefKey, Lookup>(), () => undefined)
    expect(brief(problems)).toEqual([
      'INTERNAL v <path:secret/data/app#a>: the secret at secret/data/app was not fetched',
    ])
  })

  test('documents that are not maps are skipped', () => {
    const texts = ['just <path:secret/data/app#a>\n', '- <path:secret/data/app#a>\n', '']
    const plan = planSubstitution(manifestsOf(texts), {})
    expect(plan.placeholderCount).toBe(0)
    expect(plan.refs).toEqual([])
  })
})

test('onReveal sees each revealed value and each modifier result', () => {
  const { revealed } = run(withPath('x: <a | base64encode>\ny: <b>\n'), store)
  expect(revealed).toEqual(['A', 'QQ==', 'B'])
})

describe('refPerKey (a backend whose keys are secrets of their own)', () => {
  test('makes one ref per (path, key, version), generic and inline alike, and dedupes those', () => {
    const input = withPath(
      'g: <a>\nh: <b>\ni: <path:secret/data/app#a>\nj: <path:secret/data/app#a#3>\nk: <path:secret/data/app#a>\n',
    )
    const perKey = run(input, store, { refPerKey: true })
    expect(perKey.plan.refs).toEqual([
      { path: 'secret/data/app', key: 'a' },
      { path: 'secret/data/app', key: 'b' },
      { path: 'secret/data/app', version: '3', key: 'a' },
    ])
    expect(parse(perKey.out)).toMatchObject({ g: 'A', h: 'B', i: 'A', j: 'A3', k: 'A' })
    // Without it, the same placeholders read the path once per version.
    expect(run(input, store).plan.refs).toEqual([
      { path: 'secret/data/app' },
      { path: 'secret/data/app', version: '3' },
    ])
  })
})
