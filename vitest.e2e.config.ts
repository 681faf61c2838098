import { defineConfig } from 'vitest/config';

// End-to-end tests: the real browser-mode server and engine, driven through Debian's
// Chromium with playwright-core. Run after `npm run build:web`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
