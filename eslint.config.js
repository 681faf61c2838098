// Lint: TypeScript and Vue rules, plus the layering of the code base (who may import whom).
// core -> core only; shared -> shared (+ zod); preload -> shared; renderer -> shared and the
// tfjs-free parts of core (wavelet, language); main -> shared, node; node/worker/cli -> core, shared.
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'url', 'zlib', 'stream', 'events', 'util'];
const layer = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'resources/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/attributes-order': 'off',
    },
  },
  {
    files: ['src/core/**'],
    rules: layer([
      { group: nodeBuiltins, message: 'src/core is environment-free: no Node built-ins.' },
      { group: ['electron', 'vue', 'pinia', '@tensorflow/tfjs-node*', '@tensorflow/tfjs-backend-*'], message: 'src/core may not import environments or backends.' },
      { group: ['**/node/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/worker/**', '**/cli/**', '**/shared/**'], message: 'src/core imports only src/core.' },
    ]),
  },
  {
    files: ['src/core/wavelet/**', 'src/core/language/**'],
    rules: layer([
      { group: nodeBuiltins, message: 'src/core is environment-free.' },
      { group: ['@tensorflow/*', 'electron', 'vue', 'pinia'], message: 'wavelet and language are tfjs-free (the renderer uses them).' },
      { group: ['**/node/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/worker/**', '**/cli/**', '**/shared/**', '**/model/**', '**/train/**', '**/sample/**'], message: 'wavelet and language import only each other.' },
    ]),
  },
  {
    files: ['src/shared/**'],
    rules: layer([
      { group: [...nodeBuiltins, 'electron', 'vue', 'pinia', '@tensorflow/*'], message: 'src/shared holds contracts only.' },
      { group: ['**/core/**', '**/node/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/worker/**', '**/cli/**'], message: 'src/shared imports only src/shared.' },
    ]),
  },
  {
    files: ['src/preload/**'],
    rules: layer([
      { group: ['**/core/**', '**/node/**', '**/main/**', '**/renderer/**', '**/worker/**', '**/cli/**', '@tensorflow/*'], message: 'the preload imports src/shared only.' },
    ]),
  },
  {
    files: ['src/renderer/**'],
    rules: layer([
      { group: [...nodeBuiltins, 'electron', '@tensorflow/*'], message: 'the renderer is a sandboxed web page.' },
      { group: ['**/node/**', '**/main/**', '**/preload/**', '**/worker/**', '**/cli/**', '**/core/model/**', '**/core/train/**', '**/core/sample/**', '**/core/data/**', '**/core/eval/**'], message: 'the renderer imports shared and core/wavelet, core/language only.' },
    ]),
  },
  {
    files: ['src/main/**'],
    rules: layer([
      { group: ['@tensorflow/*', '**/core/model/**', '**/core/train/**', '**/core/sample/**', '**/renderer/**', '**/cli/**'], message: 'the main process never runs a model; it imports shared and node.' },
    ]),
  },
  {
    files: ['src/node/**', 'src/worker/**', 'src/cli/**'],
    rules: layer([
      { group: ['electron', '**/renderer/**', '**/main/**', '**/preload/**'], message: 'node, worker and cli import core and shared.' },
    ]),
  },
);
