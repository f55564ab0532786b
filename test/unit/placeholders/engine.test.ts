import { parse } from 'yaml'
import { bodyOf, brief, run, withPath } from './helpers'

const store = {
  'secret/data/app': {
    password: 's3cr3t',
    port: 8080,
    replicas: '2',
    enabled: true,
    nothing: null,
    tag: '1.0',
    map: { user: 'admin', roles: ['a', 'b'] },
    list: [1, 'two'],
    yes: 'yes',
    tricky: '<path:secret/data/app#password> a: b # c',
    pem: '-----BEGIN X-----\nAAAA\n-----END X-----\n',
    json: '{"user":"u","pass":"p"}',
  },
}

describe('substitution into the document', () => {
  test('untouched nodes print exactly as written: comments, key order, quoting, styles', () => {
    const input = withPath(
      [
        '# leading comment',
        'spec:',
        "  zeta: 'single' # trailing",
        '  alpha: "double"',
        '  commitId: 81111e1',
        '  octal: 012',
        '  bool: yes',
        '  block: |',
        '    kept',
        '',
        '  password: <password> # secret goes here',
        '  flow: { b: 1, a: 2 }',
        '',
      ].join('\n'),
    )
    const { out, problems } = run(input, store)
    expect(problems).toEqual([])
    expect(out).toBe(input.replace('<password>', 's3cr3t'))
  })

  test('every value is visited, map keys never', () => {
    const input = [
      'apiVersion: <path:secret/data/app#tag>',
      'kind: Thing',
      'metadata:',
      '  name: app-<path:secret/data/app#tag>',
      '  labels: {version: "<path:secret/data/app#tag>"}',
      '  annotations:',
      '    note: <path:secret/data/app#password>',
      'data:',
      '  <path:secret/data/app#tag>: value',
      '',
    ].join('\n')
    const { out, problems } = run(input, store)
    expect(problems).toEqual([])
    expect(parse(out)).toEqual({
      apiVersion: '1.0',
      kind: 'Thing',
      metadata: { name: 'app-1.0', labels: { version: '1.0' }, annotations: { note: 's3cr3t' } },
      data: { '<path:secret/data/app#tag>': 'value' },
    })
    // `1.0` alone would read as a float, so it is quoted.
    expect(out).toContain('apiVersion: "1.0"\n')
  })

  test('strings in sequences, nested sequences included (AVP skips those)', () => {
    const input = withPath('args:\n  - --pw=<password>\n  - - <tag>\n    - [<yes>]\n')
    const { out, problems } = run(input, store)
    expect(problems).toEqual([])
    expect(out).toContain('args:\n  - --pw=s3cr3t\n  - - "1.0"\n    - [ "yes" ]\n')
  })

  test('several placeholders in one string', () => {
    const { out } = run(
      withPath('url: "postgres://<map | jsonPath {.user}>:<password>@db:<tag>"\n'),
      store,
    )
    expect(out).toContain('url: "postgres://admin:s3cr3t@db:1.0"\n')
  })

  test.each([
    // A non-string value replaces the whole field (docs/design/avp-semantics.md).
    ['port: <port>', 'port: 8080'],
    ['port: "port-<port>"', 'port: 8080'],
    ['v: <enabled>', 'v: true'],
    ['v: <nothing>', 'v: null'],
    ['v: <json | jsonParse>', 'v:\n  user: u\n  pass: p'],
    ['v: <password>-<port>-<enabled>', 'v: true'],
    ['v: <map>', 'v:\n  user: admin\n  roles:\n    - a\n    - b'],
    ['v: <list>', 'v:\n  - 1\n  - two'],
    ['v: [<map>]', 'v: [ { user: admin, roles: [ a, b ] } ]'],
    // A backend string stays a string, printed quoted where it would not be one.
    ['replicas: <replicas>', 'replicas: "2"'],
    ['replicas: "<replicas>"', 'replicas: "2"'],
    ["replicas: '<replicas>'", 'replicas: "2"'],
    ["v: '<password>'", "v: 's3cr3t'"],
    ['v: <pem>', 'v: |\n  -----BEGIN X-----\n  AAAA\n  -----END X-----'],
  ])('%s', (body, expected) => {
    const { out, problems } = run(withPath(`${body}\n`), store)
    expect(problems).toEqual([])
    expect(bodyOf(out)).toBe(`${expected}\n`)
  })

  test('a comment on a replaced node stays with it', () => {
    const { out } = run(withPath('# before\nport: <port> # after\n'), store)
    expect(out).toContain('# before\nport: 8080 # after\n')
  })

  test('anchors move to the new node, so aliases still resolve', () => {
    const { out, problems } = run(withPath('a: &x <port>\nb: *x\nc: &y <password>\nd: *y\n'), store)
    expect(problems).toEqual([])
    expect(bodyOf(out)).toBe('a: &x 8080\nb: *x\nc: &y s3cr3t\nd: *y\n')
  })

  test('a substituted value is never scanned again (no re-expansion, no YAML injection)', () => {
    const { out, problems, fetched } = run(withPath('v: <tricky>\n'), store)
    expect(problems).toEqual([])
    expect(fetched).toHaveLength(1)
    expect(parse(out)).toMatchObject({ v: store['secret/data/app'].tricky })
  })
})

describe('placeholder syntax quirks kept from AVP', () => {
  test.each([
    ['v: <<password>>', 'v: s3cr3t>'],
    ['v: "< password >"', 'v: "s3cr3t"'],
    ['v: "<  password  |  base64encode  >"', 'v: "czNjcjN0"'],
  ])('%s', (body, expected) => {
    const { out, problems } = run(withPath(`${body}\n`), store)
    expect(problems).toEqual([])
    expect(out).toContain(`\n${expected}\n`)
  })

  test('`<>` is a missing empty key', () => {
    const { problems } = run(withPath('v: "<>"\n'), store)
    expect(brief(problems)).toEqual(['KEY_NOT_FOUND v <>: key "" not found in secret/data/app'])
  })
})

describe('the auto-ignore rule (docs/design/avp-semantics.md, AVP #130)', () => {
  test('without the path annotation only inline placeholders are replaced', () => {
    const input = [
      'kind: CustomResourceDefinition',
      'metadata: {name: x}',
      'spec:',
      '  description: Set <KEY> to the <value> you want',
      '  v: <path:secret/data/app#password>',
      '',
    ].join('\n')
    const { out, problems, plan } = run(input, store)
    expect(problems).toEqual([])
    expect(plan.placeholderCount).toBe(1)
    expect(out).toContain('description: Set <KEY> to the <value> you want\n')
    expect(out).toContain('v: s3cr3t\n')
  })

  test('an empty path annotation switches generic placeholders on, and they are missing', () => {
    const { problems, fetched } = run(withPath('v: <password>\n', "''"), store)
    expect(fetched).toEqual([])
    expect(brief(problems)).toEqual([
      'KEY_NOT_FOUND v <password>: key "password" not found: the avp.kubernetes.io/path annotation is empty',
    ])
  })
})
