// Bundles bench/gpu/gpu-bench.ts and bench/gpu/dispatch-profile.ts into .gpu/*.mjs for the
// GPU machine (Node + Dawn), with `webgpu` left external (gpu-pack.sh ships it).
// Then: bash ../shared/tools/gpu-pack.sh
import { build } from 'vite';

for (const name of ['gpu-bench', 'dispatch-profile']) await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: `bench/gpu/${name}.ts`,
    outDir: '.gpu',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    rolldownOptions: { external: ['webgpu'], output: { entryFileNames: `${name}.mjs` } },
  },
  ssr: { noExternal: true, external: ['webgpu'] },
});
console.log('built .gpu/gpu-bench.mjs and .gpu/dispatch-profile.mjs');
