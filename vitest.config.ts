import { defineConfig } from 'vitest/config';

// Unit tests of the pure layers, in Node. Browser behaviour is tested by Playwright.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // wgsl_reflect says "type": "module" but its `main` is CommonJS; Vite resolves its ESM
    // `module` file when the package is inlined instead of loaded by Node.
    server: { deps: { inline: ['wgsl_reflect'] } },
    // Type tests (test/types/*.test-d.ts) run through tsc: a wrong type fails the test.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
  },
});
