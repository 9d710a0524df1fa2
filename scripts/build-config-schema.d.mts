// Types of scripts/build-config-schema.mjs (for test/unit/configSchema.test.ts).
export declare const EDITOR_ONLY: readonly string[];
export declare function buildSchema(pkg: unknown): Record<string, unknown>;
