// ESLint flat config. The import zones enforce STYLE.md's one-direction architecture:
// bytes -> model -> analysis -> pixels. Exceptions slip in when nothing enforces them.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const zone = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'public/**',
      'bench-data/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='innerHTML']",
          message: 'Data from files is untrusted: render it as text, never innerHTML.',
        },
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Data from files is untrusted: render it as text.',
        },
        {
          selector: "CallExpression[callee.name='alert']",
          message: 'Errors are store state shown in the page.',
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/base', './src/!(base)/**', 'base/ imports nothing internal.'),
            zone(
              './src/model',
              [
                './src/formats',
                './src/analysis',
                './src/worker',
                './src/store',
                './src/render',
                './src/components',
                './src/app',
              ],
              'model/ imports only base/.',
            ),
            zone(
              './src/formats',
              [
                './src/analysis',
                './src/worker',
                './src/store',
                './src/render',
                './src/components',
                './src/app',
              ],
              'formats/ imports only base/ and model/.',
            ),
            zone(
              './src/analysis',
              [
                './src/formats',
                './src/worker',
                './src/store',
                './src/render',
                './src/components',
                './src/app',
              ],
              'analysis/ imports only base/ and model/.',
            ),
            zone(
              './src/store',
              ['./src/render', './src/components', './src/app', './src/formats'],
              'store/ holds state; it talks to decoders only through worker/client.',
            ),
            zone(
              './src/render',
              ['./src/store', './src/components', './src/app', './src/worker', './src/formats'],
              'render/ is pure drawing: no React, no store.',
            ),
            zone(
              './src/components',
              ['./src/formats', './src/worker'],
              'components never import decoders or the worker.',
            ),
          ],
        },
      ],
    },
  },
  {
    // Tests may build fixtures with any layer's code; the zones guard the shipped code.
    files: ['**/*.test.ts', 'e2e/**', 'scripts/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
);
