// Types of scripts/mermaid-fast-config.mjs (for test/unit/mermaidConfig.test.ts).
import type { Plugin } from 'esbuild';

export declare const MERMAID_GET_CONFIG: string;
export declare const MERMAID_FAST_GET_CONFIG: string;
export declare const mermaidFastConfig: Plugin;
