// What an environment is (docs/environments.md): one set of objects applied together, found in
// the workspace (a top-level kustomization, a Helm chart with one values file, or the plain
// manifests no other environment reads) and named by its folder relative to the workspace folder.
// Paths here are '/'-separated and relative to that folder ('' is the folder itself).

export type EnvironmentKind = 'kustomize' | 'helm' | 'plain';

export interface Environment {
  /** `clusters/prod`, `charts/shop`, `charts/shop@values-prod.yaml`, `.` for the plain environment. */
  readonly name: string;
  readonly kind: EnvironmentKind;
  /** The kustomization's or chart's folder ('' for the workspace folder; '' for the plain environment). */
  readonly dir: string;
  /** The kustomization file or Chart.yaml: where a failed render is reported. */
  readonly definition?: string;
  /**
   * Every file of the workspace the render reads (sorted): the kustomization files it includes and
   * the files they name, or the chart's files; for the plain environment, its manifests.
   */
  readonly inputs: readonly string[];
  /** Helm: the values files given with -f, in order (relative paths). */
  readonly values?: readonly string[];
  /** Helm: the release name (default: the chart's folder name). */
  readonly releaseName?: string;
  /** Helm: --namespace (default: the default namespace setting). */
  readonly namespace?: string;
  /** Extra arguments for kubectl kustomize / kustomize build, or helm template. */
  readonly flags?: readonly string[];
  /** The render reads something the workspace does not hold (a remote base, a file outside the folder). */
  readonly external?: boolean;
  /** Added by the settings rather than found. */
  readonly configured?: boolean;
}

/** One `netpolLens.environments` entry (settings.ts reads it from untrusted input). */
export type { EnvironmentSetting } from '../settings';

/** The render commands (`netpolLens.render.*`). */
export interface RenderCommands {
  readonly kubectl: string;
  /** Empty: `kubectl kustomize`. */
  readonly kustomize: string;
  readonly helm: string;
}

/** A rendered object's way back to the workspace: the file it came from and what changed it. */
export interface Origin {
  /** The source file (relative path), when it is in the workspace. */
  readonly path?: string;
  /** Kustomize: the transformers run over the object, in order. */
  readonly transformations: readonly Transformation[];
  /** Helm: the index of the document among those rendered from the same template. */
  readonly templateIndex?: number;
}

export interface Transformation {
  /** The kustomization file that configured it (relative path), when in the workspace. */
  readonly configuredIn?: string;
  /** LabelTransformer, PatchTransformer, NamespaceTransformer, PrefixTransformer, ... */
  readonly kind: string;
}
