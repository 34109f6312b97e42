/**
 * Differential fuzzing in CI: 400 generated programs (at least 200 with vectors) agree between the GPU and the
 * reference interpreter, and 500 malformed programs are all rejected with invalid-program
 * while the runtime keeps serving. `npm run fuzz` runs the same loops with other seeds.
 */
import { expect, test } from './support/fixtures.ts';

declare global {
  interface Window {
    fuzz: {
      differential(count: number, seed: number): Promise<import('../fuzz/run-fuzz.ts').DifferentialReport>;
      malformed(count: number, seed: number): Promise<import('../fuzz/run-fuzz.ts').MalformedReport>;
    };
  }
}

test.use({ harness: '/test/browser/pages/fuzz.html' });

test('400 generated programs, over 200 of them with vectors, give the interpreter\'s results on the GPU', async ({ vyrePage }) => {
  test.setTimeout(600_000);
  const report = await vyrePage.evaluate(() => window.fuzz.differential(400, 20261127));
  expect(report.ran).toBe(400);
  expect(report.withVectors).toBeGreaterThanOrEqual(200);
  expect(report.failures, JSON.stringify(report.failures.slice(0, 3), null, 1)).toEqual([]);
});

// Seeds that once mismatched in Chrome, with what it was: each must keep matching.
const ONCE_MISMATCHED = [
  { seed: 10096, cause: "SwiftShader: opaque(vec4<i32>(0)) ^ splat gave zeros (lowering v5's identity opaque)" },
] as const;

test('generated programs that once mismatched in Chrome give the interpreter\'s results now', async ({ vyrePage }) => {
  for (const { seed, cause } of ONCE_MISMATCHED) {
    const report = await vyrePage.evaluate((s) => window.fuzz.differential(1, s), seed);
    expect(report.ran, `seed ${seed}`).toBe(1);
    expect(report.failures, `seed ${seed} (${cause})`).toEqual([]);
  }
});

test('500 malformed programs are each rejected with invalid-program and the runtime keeps serving', async ({ vyrePage }) => {
  test.setTimeout(300_000);
  const report = await vyrePage.evaluate(() => window.fuzz.malformed(500, 20261127));
  expect(report.unexpected).toEqual([]);
  expect(report.rejected).toBe(500);
  expect(report.stillServing).toBe(true);
});
