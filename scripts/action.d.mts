// Types of scripts/action.mjs (for test/unit/action.test.ts).
export declare const COMMENT_MARKER: string;
export declare const DEFAULTS: Record<string, string>;
export declare function escapeData(s: string): string;
export declare function escapeProperty(s: string): string;
