/** Types for scripts/check-layers.mjs, so the unit tests can import it under strict TypeScript. */
export declare function checkLayers(srcRoot: string): { files: number; problems: string[] };
