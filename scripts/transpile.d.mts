/** Types for scripts/transpile.mjs (plain JavaScript: it runs before any TypeScript loader). */
export declare const BUILD_DIR: string;
export declare function transpileIfStale(): Promise<boolean>;
