// Object types that every Kubernetes kind shares: ObjectMeta (with the documentation of the
// fields a kind gives a meaning to) and the label selector of apimachinery.

import type { FieldSpec, ObjectSpec } from './types';

/** The type name of the label selector, the same in every kind. */
export const LABEL_SELECTOR = 'LabelSelector';

/** The label the control plane puts on every Namespace: its name (GA in Kubernetes 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const SERVER_SET = 'Set by the API server; manifests leave it out.';

/**
 * ObjectMeta with the kind's own words for the fields people write. `namespace` is left out of
 * cluster-scoped kinds.
 */
export function objectMeta(docs: {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: string;
  readonly annotations: string;
}): ObjectSpec {
  const fields: Record<string, FieldSpec> = {
    name: { type: 'string', doc: docs.name, format: 'dns1123Subdomain' },
    generateName: {
      type: 'string',
      doc: 'A prefix from which the API server makes a unique name when `name` is not set (`kubectl create` only; `kubectl apply` needs `name`).',
      offer: false,
    },
  };
  if (docs.namespace) {
    fields.namespace = { type: 'string', doc: docs.namespace, format: 'dns1123Label', values: 'namespaces' };
  }
  Object.assign(fields, {
    labels: { type: { stringMap: true }, doc: docs.labels, format: 'labels' },
    annotations: { type: { stringMap: true }, doc: docs.annotations },
    selfLink: { type: 'string', doc: SERVER_SET, offer: false },
    uid: { type: 'string', doc: SERVER_SET, offer: false },
    resourceVersion: { type: 'string', doc: SERVER_SET, offer: false },
    generation: { type: 'int', doc: SERVER_SET, offer: false },
    creationTimestamp: { type: 'any', doc: SERVER_SET, offer: false },
    deletionTimestamp: { type: 'any', doc: SERVER_SET, offer: false },
    deletionGracePeriodSeconds: { type: 'int', doc: SERVER_SET, offer: false },
    ownerReferences: {
      type: { list: 'any' },
      doc: 'Objects this one belongs to (garbage collection); rarely written by hand.',
      offer: false,
    },
    finalizers: {
      type: { list: 'string' },
      doc: 'Conditions that hold the deletion of the object; rarely written by hand.',
      offer: false,
    },
    managedFields: { type: { list: 'any' }, doc: SERVER_SET, offer: false },
  } satisfies Record<string, FieldSpec>);
  return { fields, requireOneOf: ['name', 'generateName'] };
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** LabelSelector and LabelSelectorRequirement (apimachinery meta/v1). */
export const LABEL_SELECTOR_OBJECTS: Readonly<Record<string, ObjectSpec>> = {
  [LABEL_SELECTOR]: {
    fields: {
      matchLabels: {
        type: { stringMap: true },
        doc: 'Label key/value pairs; each is an equality requirement. All requirements are ANDed.',
        format: 'labels',
      },
      matchExpressions: {
        type: { list: { object: 'LabelSelectorRequirement' } },
        doc: 'Set-based requirements (`key`, `operator`, `values`), ANDed with `matchLabels`.',
      },
    },
  },
  LabelSelectorRequirement: {
    fields: {
      key: {
        type: 'string',
        doc: 'The label key the requirement applies to.',
        required: true,
        format: 'labelKey',
        values: 'labelKeys',
      },
      operator: {
        type: 'string',
        doc: '`In`, `NotIn`, `Exists` or `DoesNotExist` (case-sensitive). `NotIn` and `DoesNotExist` also match objects without the label.',
        enum: OPERATORS,
        required: true,
      },
      values: {
        type: { list: 'string' },
        doc: 'Values for `In`/`NotIn` (non-empty); must be empty for `Exists`/`DoesNotExist`.',
        format: 'labelValue',
        since: 'validated as label values since Kubernetes 1.26',
        values: 'labelValues',
      },
    },
  },
};
