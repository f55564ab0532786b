import fs from 'node:fs'
import path from 'node:path'
import type { FileConfig } from '../../../../src/backends/file/config'
import { fileBackend } from '../../../../src/backends/file/entry'
import type { Backend, FetchContext } from '../../../../src/backends/types'
import { settingsFromLayers } from '../../../../src/config/settings'
import type { DebugEvent } from '../../../../src/log'
import { refKey, type Lookup, type SecretRef } from '../../../../src/secrets/ref'
import { testdir } from '../../../support/testdir'

const SECRETS = `
secret/data/app:            # a path, exactly as written in placeholders
  password: s3cret
  port: 8080
  enabled: true
  nested: {a: [1, 2]}
kv/data/versioned:
  - {secret: version1}
  - {secret: version2}
bad/scalar: just-a-string
bad/list: [1, 2]
`

function settings(values: Record<string, string>) {
  return settingsFromLayers([{ name: 'env', values: new Map(Object.entries(values)) }])
}

async function backendFor(config: FileConfig): Promise<Backend> {
  const create = await fileBackend.load()
  return create(config, {
    log: () => undefined,
    registerSecret: () => undefined,
    env: {},
    cwd: '/',
    disableTokenCache: false,
  })
}

function ctx(events: DebugEvent[] = []): FetchContext {
  return { signal: new AbortController().signal, deadlineMs: 50_000, log: (e) => events.push(e) }
}

async function fetchOne(backend: Backend, ref: SecretRef): Promise<Lookup> {
  const results = await backend.fetchMany([ref], ctx())
  const lookup = results.get(refKey(ref))
  if (lookup === undefined) throw new Error('no result for the ref')
  return lookup
}

function revealed(lookup: Lookup): unknown {
  return lookup.ok ? lookup.data.reveal() : lookup.failure
}

describe('fileBackend.parseConfig', () => {
  test('needs AVP_FILE_PATH', () => {
    expect(fileBackend.parseConfig(settings({ AVP_TYPE: 'file' }))).toEqual({
      ok: false,
      failures: ['AVP_FILE_PATH: required when AVP_TYPE=file'],
    })
    expect(fileBackend.parseConfig(settings({ AVP_FILE_PATH: ' s.yaml ' }))).toEqual({
      ok: true,
      config: { path: 's.yaml' },
    })
  })
})

describe('file backend', () => {
  const dir = testdir({
    'secrets.yaml': SECRETS,
    'secrets.json': '{"p": {"k": 1}}',
    'bad.yaml': 'a: "canary-unclosed\n',
    'list.yaml': '- canary-x\n',
  })
  const file = path.join(dir, 'secrets.yaml')

  test('returns a map entry with types kept, wrapped in Secret', async () => {
    const backend = await backendFor({ path: file })
    const lookup = await fetchOne(backend, { path: 'secret/data/app' })
    expect(lookup.ok).toBe(true)
    expect(String(lookup.ok && lookup.data)).toBe('[redacted]')
    expect(revealed(lookup)).toEqual({
      password: 's3cret',
      port: 8080,
      enabled: true,
      nested: { a: [1, 2] },
    })
  })

  test('a version asked of a map entry is ignored, as Vault KV v1 does', async () => {
    const backend = await backendFor({ path: file })
    const lookup = await fetchOne(backend, { path: 'secret/data/app', version: '7' })
    expect(revealed(lookup)).toMatchObject({ password: 's3cret' })
  })

  test('a list holds versions 1..n; no version means the last', async () => {
    const backend = await backendFor({ path: file })
    const refs: SecretRef[] = [
      { path: 'kv/data/versioned' },
      { path: 'kv/data/versioned', version: '1' },
      { path: 'kv/data/versioned', version: '2' },
    ]
    const results = await backend.fetchMany(refs, ctx())
    expect(refs.map((r) => revealed(results.get(refKey(r))!))).toEqual([
      { secret: 'version2' },
      { secret: 'version1' },
      { secret: 'version2' },
    ])
  })

  test.each(['3', '0', '-1', '1.0', 'latest', ''])(
    'version %j of a list is not found',
    async (version) => {
      const backend = await backendFor({ path: file })
      expect(revealed(await fetchOne(backend, { path: 'kv/data/versioned', version }))).toEqual({
        code: 'SECRET_NOT_FOUND',
        message: `version ${version} of kv/data/versioned not found`,
      })
    },
  )

  test('an unknown path is not found', async () => {
    const backend = await backendFor({ path: file })
    expect(revealed(await fetchOne(backend, { path: 'secret/nope' }))).toEqual({
      code: 'SECRET_NOT_FOUND',
      message: 'secret secret/nope not found in the secrets file',
    })
  })

  test('an entry that is neither a map nor a list of maps is a config problem for that path', async () => {
    const backend = await backendFor({ path: file })
    for (const p of ['bad/scalar', 'bad/list']) {
      const error = revealed(await fetchOne(backend, { path: p }))
      expect(error).toEqual({
        code: 'CONFIG_INVALID',
        message: `secrets file ${file} (AVP_FILE_PATH): ${p} must be a map of keys or a list of maps`,
      })
      expect(JSON.stringify(error)).not.toContain('just-a-string')
    }
  })

  test('reads JSON too', async () => {
    const backend = await backendFor({ path: path.join(dir, 'secrets.json') })
    expect(revealed(await fetchOne(backend, { path: 'p' }))).toEqual({ k: 1 })
  })

  test('a relative AVP_FILE_PATH resolves against the process cwd', async () => {
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const backend = await backendFor({ path: 'secrets.yaml' })
      expect(
        revealed(await fetchOne(backend, { path: 'kv/data/versioned', version: '1' })),
      ).toEqual({
        secret: 'version1',
      })
    } finally {
      process.chdir(cwd)
    }
  })

  test.each([
    ['missing.yaml', 'secrets file {f} (AVP_FILE_PATH) not found'],
    ['bad.yaml', 'secrets file {f} (AVP_FILE_PATH) is not valid YAML or JSON (line 2)'],
    ['list.yaml', 'secrets file {f} (AVP_FILE_PATH) must be a map of secret paths'],
  ])(
    '%s: every ref fails with CONFIG_INVALID naming the file, never its content',
    async (name, text) => {
      const f = path.join(dir, name)
      const backend = await backendFor({ path: f })
      const refs: SecretRef[] = [{ path: 'a' }, { path: 'b', version: '2' }]
      const results = await backend.fetchMany(refs, ctx())
      for (const ref of refs) {
        const error = revealed(results.get(refKey(ref))!)
        expect(error).toEqual({ code: 'CONFIG_INVALID', message: text.replace('{f}', f) })
        expect(JSON.stringify(error)).not.toContain('canary')
      }
    },
  )

  test('an empty file holds no secrets', async () => {
    const f = path.join(dir, 'empty.yaml')
    fs.writeFileSync(f, '# nothing yet\n')
    const backend = await backendFor({ path: f })
    expect(revealed(await fetchOne(backend, { path: 'a' }))).toMatchObject({
      code: 'SECRET_NOT_FOUND',
    })
  })

  test('reads the file once, lazily', async () => {
    const f = path.join(testdir({ 's.yaml': 'p: {k: canary-v1}\n' }), 's.yaml')
    const backend = await backendFor({ path: f })
    fs.writeFileSync(f, 'p: {k: canary-v2}\n') // not read yet: the first fetch sees v2
    const first = await backend.fetchMany([{ path: 'p' }, { path: 'q', version: '1' }], ctx())
    fs.writeFileSync(f, 'p: {k: canary-v3}\n')
    const second = await backend.fetchMany([{ path: 'p' }], ctx())
    expect(revealed(first.get(refKey({ path: 'p' }))!)).toEqual({ k: 'canary-v2' })
    expect(revealed(second.get(refKey({ path: 'p' }))!)).toEqual({ k: 'canary-v2' })
    expect(first.get(refKey({ path: 'q', version: '1' }))).toMatchObject({
      ok: false,
      failure: { code: 'SECRET_NOT_FOUND' },
    })
  })
})
