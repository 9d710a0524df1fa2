// ESLint flat config: typescript-eslint recommended, type-only imports, and the layer rule
// (the engine never imports vscode or the LSP connection library).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const pure = [
  'server/src/model/**',
  'server/src/schema/**',
  'server/src/analysis/**',
  'server/src/rules/**',
  'server/src/features/**',
  'server/src/diagram/**',
  'server/src/workspace/**',
  'server/src/environments/**',
  'server/src/cli/**',
  'server/src/cli.ts',
  'server/src/settings.ts',
  'server/src/protocol/**',
];

export default tseslint.config(
  {
    ignores: [
      '.tmp/**',
      'dist/**',
      'media/dist/**',
      'node_modules/**',
      'out/**',
      'bench-out/**',
      '.vscode-test/**',
      'test/e2e/code-server-host/**',
      'test/e2e/artifacts/**',
      'test/webview/artifacts/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // formatting is Prettier's job (npm run format); this turns off the rules that would disagree
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-require-imports': 'error',
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: pure,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The engine layers never import vscode (docs/architecture.md).' },
            {
              name: 'vscode-languageserver',
              message: 'Only vscode-languageserver-types / -textdocument in the engine layers.',
            },
            {
              name: 'vscode-languageserver/node',
              message: 'Only vscode-languageserver-types / -textdocument in the engine layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        performance: 'readonly',
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
