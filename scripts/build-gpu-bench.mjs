// Bundles the GPU benches of bench/gpu/ (gpu-bench, dispatch-profile, thread-bench and the
// engine-thread it starts, fuzz-gpu, kernels-gpu, matmul-gpu, semantics-probe, seed-probe, tie-probe, tune-gpu, fast-probe) into .gpu/*.mjs for the
// GPU machine (Node + Dawn), with `webgpu` left external (gpu-pack.sh ships it).
// Then scripts/gpu-pack.sh packs node and Dawn beside them (`npm run bench:gpu` runs both).
import { build } from 'vite';

for (const name of ['gpu-bench', 'dispatch-profile', 'thread-bench', 'engine-thread', 'fuzz-gpu', 'kernels-gpu', 'matmul-gpu', 'semantics-probe', 'seed-probe', 'tie-probe', 'tune-gpu', 'fast-probe']) await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: `bench/gpu/${name}.ts`,
    outDir: '.gpu',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    rolldownOptions: { external: ['webgpu'], output: { entryFileNames: `${name}.mjs`, codeSplitting: false } },
  },
  ssr: { noExternal: true, external: ['webgpu'] },
});
console.log('built .gpu/gpu-bench.mjs, dispatch-profile.mjs, thread-bench.mjs, engine-thread.mjs, fuzz-gpu.mjs, kernels-gpu.mjs and matmul-gpu.mjs');
