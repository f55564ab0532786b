// There is no Docker engine on the development machines, so the Dockerfile is
// checked statically against what Argo CD and the tests rely on
// (docs/design/argocd-cmp-contract.md): pinned tool versions equal scripts/tool-versions.env,
// uid 999, a writable HOME under /tmp, plugin.yaml where the CMP server reads
// it, and no entrypoint that would fight /var/run/argocd/argocd-cmp-server.
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { pinnedToolVersions } from '../support/tools'

const ROOT = path.resolve(__dirname, '../..')
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
/** Instructions with continuation lines joined, comments dropped. */
const lines = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'))
const stages = lines.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([])
  acc[acc.length - 1]?.push(line)
  return acc
}, [])
const finalStage = stages[stages.length - 1] ?? []
const argDefault = (name: string): string | undefined =>
  lines.map((l) => new RegExp(`^ARG ${name}=(\\S+)$`).exec(l)?.[1]).find((v) => v !== undefined)

describe('Dockerfile', () => {
  test('pins helm, kustomize and sops to scripts/tool-versions.env and installs exactly those', () => {
    const pinned = pinnedToolVersions()
    expect(pinned['HELM_VERSION']).toMatch(/^v\d+\.\d+\.\d+$/)
    expect(argDefault('HELM_VERSION')).toBe(pinned['HELM_VERSION'])
    expect(argDefault('KUSTOMIZE_VERSION')).toBe(pinned['KUSTOMIZE_VERSION'])
    expect(pinned['SOPS_VERSION']).toMatch(/^v\d+\.\d+\.\d+$/)
    expect(argDefault('SOPS_VERSION')).toBe(pinned['SOPS_VERSION'])
    const install = lines.filter((l) => l.includes('go install')).join(' ')
    expect(install).toContain('"helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"')
    expect(install).toContain('"sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}"')
    expect(install).toContain('"github.com/getsops/sops/v3/cmd/sops@${SOPS_VERSION}"')
    // The same modules as scripts/install-test-tools.sh, which the tests run.
    const script = fs.readFileSync(path.join(ROOT, 'scripts/install-test-tools.sh'), 'utf8')
    expect(script).toContain('helm.sh/helm/v3/cmd/helm@$HELM_VERSION')
    expect(script).toContain('sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION')
    expect(script).toContain('github.com/getsops/sops/v3/cmd/sops@$SOPS_VERSION')
  })

  test("builds the CLI with npm ci and npm run build on the Node that CI tests as the image's", () => {
    // Node 20 is end-of-life; CI runs the integration suite under this Node as well.
    const major = /^(\d+)\./.exec(pinnedToolVersions()['IMAGE_NODE_VERSION'] ?? '')?.[1]
    expect(major).toBeDefined()
    expect(argDefault('NODE_IMAGE')).toMatch(new RegExp(`^node:${major ?? 'none'}[-.]`))
    expect(lines.some((l) => /^RUN npm ci\b/.test(l))).toBe(true)
    expect(lines.some((l) => /^RUN npm run build\b/.test(l))).toBe(true)
    expect(finalStage[0]).toMatch(/^FROM \$\{NODE_IMAGE\}$/)
  })

  test('the final image: tools, CLI wrapper on PATH, git and CA certificates', () => {
    const text = finalStage.join('\n')
    expect(text).toMatch(
      /COPY --from=tools \/out\/helm \/out\/kustomize \/out\/sops \/usr\/local\/bin\//,
    )
    expect(text).toMatch(/COPY --from=build \/src\/dist\/ dist\//)
    // dist/ is self-contained (test/integration/dist-layout.test.ts): no node_modules.
    expect(text).not.toContain('node_modules')
    expect(text).toMatch(/apt-get install .*ca-certificates git/)
    expect(text).toContain('> /usr/local/bin/argocd-secret-plugin')
    expect(text).toContain('exec node /opt/argocd-secret-plugin/dist/cli.cjs "$@"')
    // plugin.yaml's argv starts with that wrapper.
    const plugin = parse(fs.readFileSync(path.join(ROOT, 'plugin.yaml'), 'utf8')) as {
      spec: { generate: { command: string[] }; parameters: { dynamic: { command: string[] } } }
    }
    expect(plugin.spec.generate.command[0]).toBe('argocd-secret-plugin')
    expect(plugin.spec.parameters.dynamic.command[0]).toBe('argocd-secret-plugin')
  })

  test('warms a compile cache that the plugin user can read but not write', () => {
    const env = finalStage.filter((l) => l.startsWith('ENV ')).join(' ')
    const dir = /\bARGOCD_SECRET_PLUGIN_COMPILE_CACHE=(\S+)/.exec(env)?.[1] ?? ''
    // Written as root at build time, outside /tmp (the run's writable emptyDir).
    expect(dir).toMatch(/^\/opt\/argocd-secret-plugin\//)
    const warm = finalStage.findIndex((l) => l.includes('argocd-secret-plugin generate'))
    const user = finalStage.findIndex((l) => l.startsWith('USER '))
    expect(warm).toBeGreaterThan(finalStage.findIndex((l) => l.includes(dir)))
    expect(warm).toBeLessThan(user)
    expect(finalStage[warm]).toContain('chmod -R a+rX,go-w /opt/argocd-secret-plugin')
  })

  test('runs as uid 999 with HOME and Helm directories under /tmp', () => {
    const user = finalStage.filter((l) => l.startsWith('USER '))
    expect(user).toEqual(['USER 999:999'])
    const env = finalStage.filter((l) => l.startsWith('ENV ')).join(' ')
    for (const name of ['HOME', 'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME']) {
      expect(env).toMatch(new RegExp(`\\b${name}=/tmp/\\S+`))
    }
  })

  test('plugin.yaml is where the CMP server reads it; the entrypoint does not interfere', () => {
    expect(finalStage).toContain('COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml')
    expect(finalStage.filter((l) => l.startsWith('ENTRYPOINT'))).toEqual(['ENTRYPOINT []'])
    expect(finalStage.filter((l) => l.startsWith('CMD'))).toEqual([
      'CMD ["/var/run/argocd/argocd-cmp-server"]',
    ])
  })

  test('everything it copies exists and is not excluded by .dockerignore', () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
    const sources = lines
      .filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1))
    expect(sources.sort()).toEqual(
      [
        'package-lock.json',
        'package.json',
        'plugin.yaml',
        'scripts/build.mjs',
        'scripts/warm-code-cache.js',
        'src/',
        'tsconfig.json',
      ].sort(),
    )
    for (const source of sources) {
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true)
      const top = source.split('/')[0] ?? ''
      expect(ignore).not.toContain(top)
      expect(ignore).not.toContain(source)
    }
    for (const excluded of ['.git', '.tools', 'node_modules', 'dist', 'test', 'examples']) {
      expect(ignore).toContain(excluded)
    }
  })
})
