import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: property-based state-machine runs, 1,000-claimer races, crash injection,
 * failing receivers, fuzzing and log privacy. Bounded to a few minutes; every file prints the counts that
 * RELIABILITY.md reports.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 60_000,
    // Files share the machine's two cores; running them one at a time keeps the races honest and the timings stable.
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'silent' },
  },
});
