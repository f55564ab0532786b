// Bundles the CLI into one file for fast start-up (style guide B.6). The
// backend SDKs stay external so they are loaded only when their backend is
// configured (node-vault, @aws-sdk/*).
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

// `version` prints these (AVP's shape: version, commit, build date). The
// image build can pass them explicitly; otherwise git and the clock tell.
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return ''
  }
}
const commit = process.env.PLUGIN_COMMIT || gitCommit()
const buildDate = process.env.PLUGIN_BUILD_DATE || new Date().toISOString().replace(/\.\d+Z$/, 'Z')

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  banner: { js: '#!/usr/bin/env node' },
  external: ['node-vault', '@aws-sdk/*'],
  define: {
    __PLUGIN_VERSION__: JSON.stringify(pkg.version),
    __PLUGIN_COMMIT__: JSON.stringify(commit),
    __PLUGIN_BUILD_DATE__: JSON.stringify(buildDate),
  },
  logLevel: 'warning',
})
