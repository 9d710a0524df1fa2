// Types of the parts of scripts/gen-workspace.mjs that TypeScript code imports (tests).

export interface GenerateParams {
  readonly namespaces: number;
  readonly workloads: number;
  readonly policies: number;
  readonly services: number;
  readonly seed?: number;
  readonly count?: 'distinct' | 'manifests';
}

export interface GeneratedItem {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  /** The object's YAML, without a leading `---`. */
  readonly text: string;
}

export declare const DEFAULT_SEED: number;
export declare const GENERATOR_VERSION: number;
export declare function generate(params: GenerateParams): {
  items: GeneratedItem[];
  counts: Record<string, number>;
};
