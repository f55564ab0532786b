// Every backend is one folder of the same shape, registered by one line
// (docs/adding-a-backend.md), and what its entry declares is true of its code:
// the SDK packages are exactly what port.ts imports (and nothing else imports
// them), the failure codes cover every code its files write, and the entry's
// static imports never reach the SDK.
import fs from 'node:fs'
import path from 'node:path'
import { builtinModules } from 'node:module'
import {
  BACKENDS,
  selectBackend,
  settingPrefixes,
  supportedBackendTypes,
} from '../../../src/backends/registry'
import { settingsFromLayers } from '../../../src/config/settings'
import type { BackendEntry } from '../../../src/backends/types'

const SRC = path.resolve(__dirname, '../../../src')
const BACKENDS_DIR = path.join(SRC, 'backends')
const SHAPE = ['entry.ts', 'config.ts', 'port.ts', 'backend.ts', 'errors.ts']

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

/** The npm package of a bare specifier, or undefined for relative and built-in modules. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) {
    return undefined
  }
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Each backend folder with the entry its entry.ts exports. */
function backendFolders(): { folder: string; entry: BackendEntry<unknown> }[] {
  return fs
    .readdirSync(BACKENDS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(BACKENDS_DIR, d.name, 'entry')) as Record<string, unknown>
      const entries = Object.values(mod).filter(
        (v): v is BackendEntry<unknown> => typeof v === 'object' && v !== null && 'name' in v,
      )
      expect(entries).toHaveLength(1)
      return { folder: d.name, entry: entries[0]! }
    })
}

const folders = backendFolders()

test('every backend folder has entry, config, port, backend and errors', () => {
  const missing = folders.flatMap(({ folder }) =>
    SHAPE.filter((f) => !fs.existsSync(path.join(BACKENDS_DIR, folder, f))).map(
      (f) => `${folder}/${f}`,
    ),
  )
  expect(missing).toEqual([])
})

test('every backend folder is registered, once', () => {
  expect(BACKENDS.map((b) => b.name).sort()).toEqual(folders.map((f) => f.entry.name).sort())
  expect(supportedBackendTypes()).toEqual([...new Set(supportedBackendTypes())])
})

test.each(folders)('$folder: sdkPackages are exactly what port.ts imports', ({ folder, entry }) => {
  const imported = valueImports(path.join(BACKENDS_DIR, folder, 'port.ts'))
    .map(packageOf)
    .filter((p): p is string => p !== undefined)
  expect([...new Set(imported)].sort()).toEqual([...entry.sdkPackages].sort())
})

test('no file but its own port.ts imports a backend SDK', () => {
  const owners = new Map(
    folders.flatMap(({ folder, entry }) => entry.sdkPackages.map((p) => [p, folder] as const)),
  )
  const strays = sourceFiles(SRC).flatMap((file) =>
    valueImports(file)
      .map(packageOf)
      .filter((p): p is string => p !== undefined && owners.has(p))
      .filter((p) => file !== path.join(BACKENDS_DIR, owners.get(p) ?? '', 'port.ts'))
      .map((p) => `${path.relative(SRC, file)} imports ${p}`),
  )
  expect(strays).toEqual([])
})

test.each(folders)(
  '$folder: the entry never statically reaches port.ts or backend.ts',
  ({ folder }) => {
    // `load()` uses lazy requires, which this walk deliberately does not follow.
    const seen = new Set<string>()
    const visit = (file: string): void => {
      if (seen.has(file) || !fs.existsSync(file)) return
      seen.add(file)
      const text = fs.readFileSync(file, 'utf8')
      for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gms)) {
        visit(path.resolve(path.dirname(file), `${(m[1] ?? '').replace(/\.js$/, '')}.ts`))
      }
    }
    visit(path.join(BACKENDS_DIR, folder, 'entry.ts'))
    const reached = [...seen].map((f) => path.relative(BACKENDS_DIR, f))
    expect(reached).not.toContain(path.join(folder, 'port.ts'))
    expect(reached).not.toContain(path.join(folder, 'backend.ts'))
  },
)

test.each(folders)(
  '$folder: failureCodes cover every code its files write',
  ({ folder, entry }) => {
    const written = new Set(
      sourceFiles(path.join(BACKENDS_DIR, folder)).flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/\bcode: '([A-Z_]+)'/g)].map((m) => m[1]),
      ),
    )
    expect(
      [...written].filter((c) => c !== undefined && !entry.failureCodes.includes(c as never)),
    ).toEqual([])
  },
)

test.each(folders)('$folder: load() gives a factory', async ({ entry }) => {
  expect(typeof (await entry.load())).toBe('function')
})

test('setting prefixes come from the entries, with the plugin’s own AVP_', () => {
  expect(settingPrefixes()).toEqual(
    expect.arrayContaining(['AVP_', ...folders.flatMap((f) => f.entry.settingPrefixes)]),
  )
})

test('the eight backends are supported; the four other AVP backends say "not supported yet", a typo is unknown', () => {
  expect(supportedBackendTypes()).toEqual([
    '1passwordconnect',
    'awssecretsmanager',
    'azurekeyvault',
    'file',
    'gcpsecretmanager',
    'kubernetessecret',
    'sops',
    'vault',
  ])
  const issue = (type: string): string => {
    const env = settingsFromLayers([{ name: 'env', values: new Map([['AVP_TYPE', type]]) }])
    try {
      selectBackend(env)
    } catch (err) {
      return (err as { issues?: readonly string[] }).issues?.join('|') ?? String(err)
    }
    return 'accepted'
  }
  const supported = supportedBackendTypes().join(', ')
  for (const type of [
    'ibmsecretsmanager',
    'yandexcloudlockbox',
    'keepersecretsmanager',
    'delineasecretserver',
  ]) {
    expect(issue(type)).toBe(
      `AVP_TYPE: "${type}" is an argocd-vault-plugin backend that this plugin does not support yet; supported: ${supported}`,
    )
  }
  expect(issue('azurekeyvalt')).toBe(
    `AVP_TYPE: unknown backend type "azurekeyvalt"; supported: ${supported}`,
  )
})
