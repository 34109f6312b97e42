// Bundles bench/gpu/gpu-bench.ts into .gpu/gpu-bench.mjs for the GPU machine (Node + Dawn),
// with `webgpu` left external (gpu-pack.sh ships it). Then: bash ../shared/tools/gpu-pack.sh
import { build } from 'vite';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: 'bench/gpu/gpu-bench.ts',
    outDir: '.gpu',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    rolldownOptions: { external: ['webgpu'], output: { entryFileNames: 'gpu-bench.mjs' } },
  },
  ssr: { noExternal: true, external: ['webgpu'] },
});
console.log('built .gpu/gpu-bench.mjs');
