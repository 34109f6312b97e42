import { defineConfig } from 'vitest/config';

// Unit tests of the pure layers, in Node. Browser behaviour is tested by Playwright.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Type tests (test/types/*.test-d.ts) run through tsc: a wrong type fails the test.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
  },
});
