// ESLint flat config. The import zones enforce the one-direction architecture of ARCHITECTURE.md:
// bytes -> model -> analysis -> engine -> (worker) -> page, and the page paints. Exceptions slip
// in when nothing enforces them. Three kinds of rule:
//   - zones (import-x/no-restricted-paths): which layer may import which, values and types;
//   - no-cycle: no two modules import each other, however far round;
//   - the page's layers (app, components, store, render) import types only from analysis,
//     formats and engine: every analysis runs in the engine worker, none on the main thread;
//     and the pure layers (base, model, formats, analysis, engine) import no React and touch no
//     DOM, so they run unchanged in workers, Node tests, scripts and the CLI.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const zone = (target, from, message) => ({ target, from, message });

const PAGE = ['src/app/**', 'src/components/**', 'src/store/**', 'src/render/**'];
const PURE = ['src/base/**', 'src/model/**', 'src/formats/**', 'src/analysis/**', 'src/engine/**'];
const TESTS = [
  '**/*.test.ts',
  'src/testing/**',
  'src/analysis/testTrace.ts',
  'src/analysis/stackSetText.ts',
];

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
      // no-cycle reads the imported modules too: with the TypeScript parser.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
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
                './src/engine',
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
                './src/engine',
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
                './src/engine',
                './src/worker',
                './src/store',
                './src/render',
                './src/components',
                './src/app',
              ],
              'analysis/ imports only base/ and model/.',
            ),
            zone(
              './src/engine',
              ['./src/worker', './src/store', './src/render', './src/components', './src/app'],
              'engine/ imports base/, model/, formats/ and analysis/: it knows nothing of threads or the page.',
            ),
            zone(
              './src/worker',
              ['./src/analysis', './src/store', './src/render', './src/components', './src/app'],
              'worker/ hosts decoders and the engine and carries their messages: it runs no analysis itself and knows nothing of the page.',
            ),
            zone(
              './src/store',
              ['./src/render', './src/components', './src/app', './src/formats'],
              'store/ holds state; it talks to decoders only through worker/client and to the engine through its API.',
            ),
            zone(
              './src/render',
              ['./src/store', './src/components', './src/app', './src/worker', './src/formats'],
              'render/ is pure drawing: no React, no store.',
            ),
            zone(
              './src/components',
              ['./src/formats', './src/worker', './src/app'],
              'components never import decoders or workers (the engine reaches them through EngineContext), nor the app shell.',
            ),
            {
              target: './src/app',
              from: './src/formats',
              except: ['./bundle.ts'],
              message:
                'app/ is the shell: it reaches decoders through worker/client (the session bundle writer excepted).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The page's layers: analysis, decoding and the engine's code never run on the main thread.
    files: PAGE,
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // One exception: the session bundle's writer (a Blob of the files' Blobs, no work
              // over their bytes), for the share dialog. (components/analysis/ is the page's own
              // folder of analysis views, not src/analysis.)
              group: [
                '**/analysis/*',
                '**/formats/*',
                '**/formats/**',
                '**/engine/*',
                '!**/formats/bundle',
                '!**/components/analysis/*',
              ],
              allowTypeImports: true,
              message:
                'The page imports only types from analysis/, formats/ and engine/: ask the engine (useEngineQuery, EngineApi.query); see ARCHITECTURE.md.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pure layers run in workers, Node tests and scripts: no React, no DOM.
    files: PURE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'd3-scale'],
              message: 'base/, model/, formats/, analysis/ and engine/ import nothing of the page.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'HTMLElement'].map(
          (name) => ({
            name,
            message: 'base/, model/, formats/, analysis/ and engine/ touch no DOM.',
          }),
        ),
      ],
    },
  },
  {
    // Tests may build fixtures with any layer's code; the zones guard the shipped code.
    files: ['**/*.test.ts', 'e2e/**', 'scripts/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
);
