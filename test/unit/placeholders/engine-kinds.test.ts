import { parse } from 'yaml'
import { Failure, bodyOf, brief, run, withPath } from './helpers'

const b64 = (text: string): string => Buffer.from(text).toString('base64')

const store = {
  'secret/data/app': {
    password: 's3cr3t',
    port: 8080,
    enabled: true,
    nothing: null,
    map: { user: 'admin' },
    list: [1],
    five: '5',
    namespace: 'default',
    'secret-var-value': 'dGVzdC1wYXNzd29yZA==',
    'secret-var-clear': 'test-password',
  },
  'secret/data/broken': new Failure({
    code: 'ACCESS_DENIED',
    message: 'permission denied on secret/data/broken',
  }),
}

describe('ConfigMap: results are strings', () => {
  test.each([
    ['<port>', '"8080"'],
    ['"port-<port>"', '"8080"'],
    ['<enabled>', '"true"'],
    ['<five | jsonParse>', '"5"'],
    ['<password>', 's3cr3t'],
  ])('%s → %s', (value, printed) => {
    const { out, problems } = run(
      withPath(`data:\n  v: ${value}\n  n: 1\n`, undefined, 'ConfigMap'),
      store,
    )
    expect(problems).toEqual([])
    expect(bodyOf(out)).toBe(`data:\n  v: ${printed}\n  n: 1\n`)
  })

  test.each([
    ['<map>', 'a map cannot be written into a ConfigMap string field'],
    ['<list>', 'a list cannot be written into a ConfigMap string field'],
    ['<nothing>', 'null cannot be written into a ConfigMap string field'],
  ])('%s is a TYPE_MISMATCH (AVP panics)', (value, message) => {
    const { problems } = run(withPath(`data:\n  v: x-${value}\n`, undefined, 'ConfigMap'), store)
    expect(brief(problems)).toEqual([`TYPE_MISMATCH data.v ${value}: ${message}`])
  })

  test('applies to every string field of the ConfigMap, metadata included', () => {
    const input = withPath('data: {}\n', undefined, 'ConfigMap').replace(
      '  annotations:',
      '  labels:\n    port: <port>\n  annotations:',
    )
    expect(parse(run(input, store).out)).toMatchObject({ metadata: { labels: { port: '8080' } } })
  })
})

describe('Secret', () => {
  const secret = (body: string, path?: string): string =>
    path === undefined
      ? `kind: Secret\nmetadata:\n  name: s\n${body}`
      : withPath(body, path, 'Secret')

  test('a plain placeholder in data is inserted as stored: no automatic base64 (AVP #96)', () => {
    const { out } = run(
      secret('data:\n  SECRET_VAR: <secret-var-value>\n', 'secret/data/app'),
      store,
    )
    expect(bodyOf(out)).toBe('data:\n  SECRET_VAR: dGVzdC1wYXNzd29yZA==\n')
  })

  test.each([
    // Kustomize secretGenerator output; double encoding is valid (AVP util_test).
    ['<namespace | base64encode>', 'WkdWbVlYVnNkQT09'],
    ['<password>', b64('s3cr3t')],
    ['<port>', 'ODA4MA=='],
    ['<enabled>', b64('true')],
    ['user=<password>\nport=<port>\n', b64('8080')],
    ['pw=<password>\n', b64('pw=s3cr3t\n')],
  ])('a base64 value holding %j is decoded, substituted and re-encoded', (text, encoded) => {
    const { out, problems } = run(secret(`data:\n  v: ${b64(text)}\n`, 'secret/data/app'), store)
    expect(problems).toEqual([])
    expect(bodyOf(out)).toBe(`data:\n  v: ${encoded}\n`)
  })

  test('the base64 rule keeps the normal regex choice', () => {
    const generic = b64('<password>')
    const inline = b64('<path:secret/data/app#password>')
    const { out, fetched } = run(secret(`data:\n  a: ${generic}\n  b: ${inline}\n`), store)
    expect(out).toContain(`a: ${generic}\n`)
    expect(out).toContain(`b: ${b64('s3cr3t')}\n`)
    expect(fetched).toEqual([{ path: 'secret/data/app' }])
  })

  test('a value that is not strict base64 follows the generic rule', () => {
    const mixed = 'c29tZQ==<secret-var-clear | base64encode>dmFsdWU='
    const { out } = run(secret(`data:\n  v: ${mixed}\n  n: <port>\n`, 'secret/data/app'), store)
    expect(bodyOf(out)).toBe('data:\n  v: c29tZQ==dGVzdC1wYXNzd29yZA==dmFsdWU=\n  n: 8080\n')
  })

  test('a map into a base64 value is a TYPE_MISMATCH; a missing key names the decoded placeholder', () => {
    const body = `data:\n  a: ${b64('<map>')}\n  b: ${b64('x=<nope>')}\n`
    const { problems } = run(secret(body, 'secret/data/app'), store)
    expect(brief(problems)).toEqual([
      'TYPE_MISMATCH data.a <map>: a map cannot be written into a base64-encoded Secret field',
      'KEY_NOT_FOUND data.b <nope>: key "nope" not found in secret/data/app',
    ])
  })

  test('other kinds never decode base64', () => {
    const encoded = b64('<path:secret/data/app#password>')
    const { out, plan } = run(`kind: ConfigMap\ndata:\n  v: ${encoded}\n`, store)
    expect(plan.placeholderCount).toBe(0)
    expect(out).toContain(`v: ${encoded}\n`)
  })
})

describe('avp.kubernetes.io/remove-missing', () => {
  const annotated = (kind: string, body: string, value = 'true'): string =>
    withPath(body, 'secret/data/app', kind).replace(
      '  annotations:\n',
      `  annotations:\n    avp.kubernetes.io/remove-missing: "${value}"\n`,
    )

  test.each(['Secret', 'ConfigMap'])('%s: a map value with a missing key is removed', (kind) => {
    const body = [
      'data:',
      '  MISSING_VALUE: <missing>',
      '  HALF: <password>-<missing>',
      '  INLINE: <path:secret/data/app#nokey>',
      '  PORT: <port>',
      '',
    ].join('\n')
    const { out, problems } = run(annotated(kind, body), store)
    expect(problems).toEqual([])
    expect(bodyOf(out)).toBe(
      kind === 'Secret' ? 'data:\n  PORT: 8080\n' : 'data:\n  PORT: "8080"\n',
    )
  })

  test('an anchored value is kept (an alias points at it), so its problem stays', () => {
    const { problems } = run(annotated('Secret', 'data:\n  A: &a <missing>\n  B: *a\n'), store)
    expect(brief(problems)).toEqual([
      'KEY_NOT_FOUND data.A <missing>: key "missing" not found in secret/data/app',
    ])
  })

  test('other problems stay, and strings in lists are not removed', () => {
    const body = [
      'data:',
      '  A: <path:secret/data/broken#k>',
      '  B: <missing>-<password | base64decode>',
      '  C: [<missing>]',
      '',
    ].join('\n')
    const { out, problems } = run(annotated('Secret', body), store)
    expect(brief(problems)).toEqual([
      'ACCESS_DENIED data.A <path:secret/data/broken#k>: permission denied on secret/data/broken',
      'MODIFIER_FAILED data.B <password | base64decode>: base64decode: value is not valid base64',
      'KEY_NOT_FOUND data.C[0] <missing>: key "missing" not found in secret/data/app',
    ])
    expect(out).not.toContain('  B:')
  })

  test('on another kind it is an ANNOTATION_INVALID problem and nothing is replaced or fetched', () => {
    const input = annotated('Deployment', 'v: <password>\n')
    const { out, problems, fetched } = run(input, store)
    expect(brief(problems)).toEqual([
      'ANNOTATION_INVALID metadata.annotations["avp.kubernetes.io/remove-missing"] -: avp.kubernetes.io/remove-missing annotation can only be used on Secret or ConfigMap resources',
    ])
    expect(fetched).toEqual([])
    expect(out).toBe(input)
  })

  test.each(['false', 'nope', 'yes'])('"%s" is not true (Go ParseBool)', (value) => {
    const { problems } = run(annotated('Deployment', 'v: <password>\n', value), store)
    expect(problems).toEqual([])
  })
})

describe('Lists: each item is an object of its own', () => {
  const list = [
    'apiVersion: v1',
    'kind: List',
    'metadata:',
    '  annotations:',
    '    avp.kubernetes.io/path: secret/data/list',
    'items:',
    '  - kind: Secret',
    '    metadata: {name: s1, annotations: {avp.kubernetes.io/path: secret/data/app}}',
    '    stringData: {pw: <password>}',
    '  - kind: ConfigMap',
    '    metadata: {name: c1}',
    '    data: {note: <greeting>, pw: "<path:secret/data/app#password>", bad: "<path:secret/data/app#x>"}',
    '  - just a string <KEY>',
    '',
  ].join('\n')
  const listStore = { ...store, 'secret/data/list': { greeting: 'hello' } }

  test('an item with AVP annotations uses its own; one without follows its List, as in AVP', () => {
    const { out, problems, fetched } = run(list, listStore)
    expect(fetched).toEqual([{ path: 'secret/data/app' }, { path: 'secret/data/list' }])
    expect(parse(out)).toMatchObject({
      metadata: { annotations: { 'avp.kubernetes.io/path': 'secret/data/list' } },
      items: [
        { stringData: { pw: 's3cr3t' } },
        { data: { note: 'hello', pw: 's3cr3t' } },
        'just a string <KEY>',
      ],
    })
    expect(problems).toEqual([
      {
        code: 'KEY_NOT_FOUND',
        message: 'key "x" not found in secret/data/app',
        location: {
          file: 'app.yaml',
          document: 1,
          resource: 'ConfigMap/c1',
          field: 'items[1].data.bad',
        },
        placeholder: '<path:secret/data/app#x>',
      },
    ])
  })

  test('a List without AVP annotations leaves generic placeholders of plain items alone', () => {
    const input =
      'kind: List\nitems:\n  - kind: ConfigMap\n    metadata: {name: c}\n    data: {doc: "use <KEY> here"}\n'
    const { out, problems, fetched } = run(input, store)
    expect(fetched).toEqual([])
    expect(problems).toEqual([])
    expect(parse(out)).toMatchObject({ items: [{ data: { doc: 'use <KEY> here' } }] })
  })

  test('any kind ending in List with an items sequence is flattened', () => {
    const input =
      'kind: SecretList\nitems:\n  - kind: Secret\n    metadata: {name: a}\n    stringData: {pw: "<path:secret/data/app#password>"}\n'
    expect(parse(run(input, store).out)).toMatchObject({
      items: [{ stringData: { pw: 's3cr3t' } }],
    })
  })
})
