// The rule framework: every diagnostic has a rule with a stable id and metadata (docs, SARIF,
// settings), and a check that reports findings for one document.
//
// Rule ids: NPV<nn> = API-server validation rule Vnn (docs/semantics.md A.9); NPD<nn> = decoding
// errors (docs/semantics.md A.10); NPP<nn> = pitfall nn (docs/semantics.md C); NPX<nn> = the
// extension's own messages about files (not analysed, too large, templates...); NPA<nn> =
// validation rule AVnn of the admin-tier kinds (docs/semantics.md D.2); NPT<nn> = pitfall APnn of
// the admin tiers (docs/semantics.md D.6).

import type { Finding, Severity } from '../analysis/findings';
import type { Inventory } from '../analysis/inventory';
import type { NormPolicy } from '../analysis/policy';
import type { World } from '../analysis/world';
import type { ManifestDocument, ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';
import type { NetpolSettings } from '../settings';

export interface RuleMeta {
  /** Stable id, e.g. NPP11. */
  readonly id: string;
  /** Short kebab-case name, e.g. service-port-instead-of-target-port. */
  readonly name: string;
  readonly severity: Severity;
  /** One-line title. */
  readonly title: string;
  /** Why it matters and what to do (docs and SARIF help text). */
  readonly description: string;
  /** Needs the workspace (other files) to decide. */
  readonly crossFile?: boolean;
  /** Quick fixes offered, in words. */
  readonly fixes?: readonly string[];
  /** Pitfall number (docs/semantics.md C) or validation id (docs/semantics.md A.9) it implements. */
  readonly reference?: string;
}

export interface RuleContext {
  readonly file: ManifestFile;
  readonly doc: ManifestDocument;
  /** Objects of this document. */
  readonly objects: readonly K8sObject[];
  /** Normalised policies of this document (valid or not, replaced or not). */
  readonly policies: readonly NormPolicy[];
  readonly world: World;
  readonly inv: Inventory;
  readonly settings: NetpolSettings;
}

export type Report = (f: Finding) => void;

export interface RuleModule {
  readonly rules: readonly RuleMeta[];
  check(ctx: RuleContext, report: Report): void;
}
