import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real git, SQLite and HTTP servers; the CI machines have 2 noisy cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Golden files (`__golden__/`, toMatchFileSnapshot) are only compared: a missing or different one
    // fails. `UPDATE_GOLDEN=1 npx vitest run test/plan` rewrites those of the tests it runs.
    update: process.env['UPDATE_GOLDEN'] === '1' ? 'all' : 'none',
  },
});
