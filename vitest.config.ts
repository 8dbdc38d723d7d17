// Test tiers (see ../shared/DESIGN.md): each tier is a vitest project so one runner and one
// reporter serve them all. scripts/test-all.mjs decides which tiers can run on this machine.
import { defineConfig } from 'vitest/config';

const tier = (name: string, extra: Record<string, unknown> = {}) => ({
  test: {
    name,
    include: [`test/${name}/**/*.test.ts`],
    environment: 'node',
    ...extra,
  },
});

const scratchCleanup = './test/support/scratch-cleanup.setup.ts';

export default defineConfig({
  test: {
    projects: [
      tier('unit', { testTimeout: 30_000 }),
      // Privileged tiers share the kernel's namespaces and links: run their files one at a time.
      // They time real failovers on a shared 2-core host, so a failed test runs once more;
      // scripts/test-all.mjs lists every test that needed it (FLAKY) at the end of the run.
      tier('netns', { testTimeout: 60_000, fileParallelism: false, setupFiles: [scratchCleanup], retry: 1 }),
      tier('interop', { testTimeout: 180_000, fileParallelism: false, setupFiles: [scratchCleanup], retry: 1 }),
      tier('vm', { testTimeout: 300_000, fileParallelism: false, retry: 1 }),
    ],
  },
});
