import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests spawn the built CLI and real servers; two cores keep them honest but slow.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
