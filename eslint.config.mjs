// Lint rules from docs/design/engineering-rules.md: typescript-eslint strict + stylistic
// type-checked, no console outside the CLI boundary, and the layer rules of B.1
// (the placeholder engine never imports a backend; each SDK has one home).
import tseslint from 'typescript-eslint'

const layerRules = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@aws-sdk/*'], message: '@aws-sdk is imported only in src/backends/aws/port.ts' },
        {
          group: ['@google-cloud/*', 'google-gax', 'google-auth-library'],
          message: 'the GCP client is imported only in src/backends/gcp/port.ts',
        },
        {
          group: ['@azure/*'],
          message: 'the Azure SDK is imported only in src/backends/azurekeyvault/port.ts',
        },
      ],
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'build/',
      'node_modules/',
      '.tools/',
      'coverage/',
      'examples/',
      '.stryker-tmp/',
      'reports/',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      ...layerRules,
    },
  },
  {
    files: ['src/placeholders/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/backends/**', '**/config/**', '**/cli/**', '**/render/**'],
              message:
                'the placeholder engine knows nothing of backends, config, render or the CLI',
            },
          ],
        },
      ],
    },
  },
  {
    // The Vault backend's transport lives in its port alone (types may be shared).
    files: ['src/backends/vault/**/*.ts'],
    ignores: ['src/backends/vault/port.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...layerRules['no-restricted-imports'][1],
          paths: ['node:http', 'node:https', 'node:net', 'node:tls'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'the Vault backend does transport only in src/backends/vault/port.ts',
          })),
        },
      ],
    },
  },
  {
    files: [
      'src/backends/aws/port.ts',
      'src/backends/gcp/port.ts',
      'src/backends/azurekeyvault/port.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
)
