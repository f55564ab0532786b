import { formatProblem } from '../../../src/errors'
import { Failure, run, withPath } from './helpers'

const CANARY = 'canary-9f2c41d7e8b3'
const b64 = (text: string): string => Buffer.from(text).toString('base64')

const store = {
  'secret/data/c': {
    pw: CANARY,
    json: `{"a":"${CANARY}","n":[1]}`,
    yaml: `key: [${CANARY}`,
    map: { k: CANARY },
    list: [CANARY],
    num: 7,
  },
  'secret/data/gone': new Failure({
    code: 'ACCESS_DENIED',
    message: 'permission denied on secret/data/gone',
  }),
}

// Every error path of the engine that can meet a secret value (docs/design/engineering-rules.md).
const FIELDS = [
  `f1: <pw | base64decode>`,
  `f2: <pw | jsonParse>`,
  `f3: <yaml | yamlParse>`,
  `f4: <pw | jsonPath {.a}>`,
  `f5: <json | jsonPath {.missing}>`,
  `f6: <json | jsonPath {.a[0]}>`,
  `f7: <json | jsonPath {.n[5]}>`,
  `f8: <map | base64encode>`,
  `f9: <num | indent 2>`,
  `f10: "${CANARY}-<missing>"`,
  `f11: <path:secret/data/gone#k>`,
  `f12: <json | jsonPath {.a} | jsonParse>`,
  `f13: <list | sha256sum>`,
]

test.each(['Thing', 'ConfigMap', 'Secret'])(
  'no problem of a %s ever holds a secret value',
  (kind) => {
    const extra =
      kind === 'Thing'
        ? ''
        : `cm1: <map>\ncm2: <list>\ncm3: ${b64(`x=<map>`)}\ncm4: ${b64(`x=<missing>-${CANARY}`)}\n`
    const { problems } = run(
      withPath(`${FIELDS.join('\n')}\n${extra}`, 'secret/data/c', kind),
      store,
    )
    expect(problems.length).toBeGreaterThanOrEqual(FIELDS.length)
    for (const problem of problems) {
      expect(problem.message).not.toContain('canary')
      expect(formatProblem(problem)).not.toContain('canary')
    }
    const codes = new Set(problems.map((p) => p.code))
    expect([...codes].sort()).toEqual(
      kind === 'Thing'
        ? ['ACCESS_DENIED', 'KEY_NOT_FOUND', 'MODIFIER_FAILED']
        : ['ACCESS_DENIED', 'KEY_NOT_FOUND', 'MODIFIER_FAILED', 'TYPE_MISMATCH'],
    )
  },
)

test('a placeholder as written is reported, never the value it resolved to', () => {
  const { problems } = run(withPath('v: "<pw | base64decode>"\n', 'secret/data/c'), store)
  expect(problems).toEqual([
    {
      code: 'MODIFIER_FAILED',
      message: 'base64decode: value is not valid base64',
      location: { file: 'app.yaml', document: 1, resource: 'Thing/x', field: 'v' },
      placeholder: '<pw | base64decode>',
    },
  ])
})
