import { defineConfig } from 'vitest/config';

// Unit tests of the pure layers, in Node. Browser behaviour is tested by Playwright.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
  },
});
