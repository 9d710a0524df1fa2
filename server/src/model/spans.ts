// Where things are written in a manifest: the span that names an object (its metadata.name), the
// path of a workload kind's pod labels, keys written with no value, and the file locations of
// spans as the editor and the diagram point at them (shaped like LSP ranges and locations).

import type { ManifestDocument } from './document';
import type { K8sObject } from './resources';
import { get, type PNode } from './tree';

/** Document-relative offsets [s, e). */
export interface Span {
  readonly s: number;
  readonly e: number;
}

/** 0-based line and UTF-16 character in a file. */
export interface SourcePosition {
  readonly line: number;
  readonly character: number;
}

export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export interface SourceLocation {
  readonly uri: string;
  readonly range: SourceRange;
}

/** The file range of a document-relative span (an end before the start counts as the start). */
export function rangeIn(doc: ManifestDocument, s: number, e: number): SourceRange {
  return { start: doc.positionAt(s), end: doc.positionAt(Math.max(s, e)) };
}

/** The span that names an object: its metadata.name value, else the object's start (empty). */
export function nameSpan(obj: K8sObject): Span {
  const n = get(get(obj.node, 'metadata'), 'name');
  if (n && n.t === 'scalar' && n.e > n.s) return { s: n.s, e: n.e };
  return { s: obj.node.s, e: obj.node.s };
}

/** Where an object is: its file, at its name. */
export function objectLocation(obj: K8sObject): SourceLocation {
  return nodeLocation(obj, nameSpan(obj));
}

/** A span of an object's document, in the object's file. */
export function nodeLocation(obj: K8sObject, n: Span): SourceLocation {
  return { uri: obj.uri, range: rangeIn(obj.doc, n.s, n.e) };
}

/** The path of the pod labels in a workload manifest. */
export function podLabelsPath(kind: string): readonly string[] {
  if (kind === 'Pod') return ['metadata', 'labels'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'];
  return ['spec', 'template', 'metadata', 'labels'];
}

/** Does the YAML write this selector key with no value (null)? */
export function isNullKey(n: PNode | undefined, key: string): boolean {
  const v = get(n, key);
  return !!v && v.t === 'scalar' && v.v === null;
}
