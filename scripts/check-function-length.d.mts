/** Types for scripts/check-function-length.mjs, so the unit tests can import it under strict TypeScript. */
import type ts from 'typescript';

export declare const MAX_FUNCTION_LINES: number;
export declare function checkFunctionLengths(srcRoot: string, max?: number): { functions: number; problems: string[] };
export declare function measureFunctions(sourceFile: ts.SourceFile): { name: string; line: number; lines: number }[];
export declare function listSourceFiles(dir: string): string[];
export declare function parseSourceFile(file: string): ts.SourceFile;
