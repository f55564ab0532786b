// Bundles the CLI into one file for fast start-up (style guide B.6). The
// backend SDKs stay external so they are loaded only when their backend is
// configured (node-vault, @aws-sdk/*).
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

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
    __PLUGIN_COMMIT__: JSON.stringify(process.env.PLUGIN_COMMIT ?? ''),
    __PLUGIN_BUILD_DATE__: JSON.stringify(process.env.PLUGIN_BUILD_DATE ?? ''),
  },
  logLevel: 'warning',
})
