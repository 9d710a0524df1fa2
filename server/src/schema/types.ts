// The vocabulary of the declarative schema (see index.ts for how the kinds are registered and how
// to add one). Data only: no function here knows a particular kind.

/** How the API server decodes a value; any other JSON type is rejected before validation (docs/semantics.md A.10). */
export type ValueType =
  | 'string'
  | 'int'
  | 'intOrString'
  | 'bool'
  /** Accepted as written (timestamps, structures the analysis never reads). */
  | 'any'
  | { readonly list: ValueType }
  /** A map of string keys to string values (labels, annotations). */
  | { readonly stringMap: true }
  /** A map with the fields of another object type of the same kind schema. */
  | { readonly object: string };

/** Syntax a string must have beyond its JSON type, checked by the API server's validation (docs/semantics.md A.9). */
export type Format =
  /** An object name: lowercase RFC 1123 subdomain, at most 253 characters. */
  | 'dns1123Subdomain'
  /** A namespace name: lowercase RFC 1123 label, at most 63 characters. */
  | 'dns1123Label'
  /** A map of label keys (qualified names) to label values. */
  | 'labels'
  /** A label key: a qualified name with an optional DNS subdomain prefix. */
  | 'labelKey'
  /** A label value: empty, or at most 63 alphanumeric characters, '-', '_' or '.'. */
  | 'labelValue'
  /** A port: a number from 1 to 65535, or a port name (IANA_SVC_NAME). */
  | 'port'
  /** A port number from 1 to 65535. */
  | 'portNumber'
  /** An IPv4 or IPv6 CIDR with a prefix length. */
  | 'cidr'
  /** A domain name of at least two labels, optionally starting with `*.` (admin-tier `domainNames`). */
  | 'domainName';

/** Values the editor offers for a field from the workspace (besides the field's enum). */
export type ValueSource =
  /** The namespaces of the workspace. */
  | 'namespaces'
  /** The label keys of what the enclosing selector selects. */
  | 'labelKeys'
  /** The values of the label key written next to the field (a selector requirement's `key`). */
  | 'labelValues'
  /** The named ports and port numbers of the workloads that a rule's ports apply to. */
  | 'namedPorts';

export interface FieldSpec {
  readonly type: ValueType;
  /** Markdown, one or two sentences: what completion shows with the key and hover shows for the field. */
  readonly doc: string;
  /** The accepted values (case-sensitive) of a string field, or of the items of a list of strings. */
  readonly enum?: readonly string[];
  /** The API server rejects the object when the field is absent, null or empty. */
  readonly required?: boolean;
  readonly format?: Format;
  /** Longest list the API server accepts. */
  readonly maxItems?: number;
  /**
   * Version note, a phrase: the Kubernetes release that made the field (or one of its values)
   * generally available and what else it needs, e.g. "since Kubernetes 1.25; the network plugin
   * must support it".
   */
  readonly since?: string;
  /** For a label selector: what it selects (completion offers the labels found on those). */
  readonly selects?: 'pods' | 'namespaces';
  /** Values completion looks up in the workspace. */
  readonly values?: ValueSource;
  /** `false`: accepted, but completion does not offer the key (the API server sets it, or manifests never write it). */
  readonly offer?: false;
  /** `false`: hovering the key shows nothing (the line says it all). */
  readonly hover?: false;
}

export interface ObjectSpec {
  /** The fields in the order completion offers them. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /**
   * The fields in the order of the API type (types.go) where it differs from `fields`: the order
   * in which the closest field to a misspelt key is looked for (the first of equally close wins).
   */
  readonly apiOrder?: readonly string[];
  /** At least one of these fields must be set (not absent, not null). */
  readonly requireOneOf?: readonly string[];
  /** Fields of different groups may not be set together. */
  readonly exclusive?: readonly (readonly string[])[];
}

/** A value of a snippet: YAML data, with holes that completion fills from the workspace and settings. */
export type SnippetValue =
  string | number | SnippetHole | readonly SnippetValue[] | { readonly [key: string]: SnippetValue };

export interface SnippetHole {
  readonly hole:
    | 'name' // the object's name: a tab stop with the snippet's name
    | 'namespace' // the object's namespace: a choice of the workspace's namespaces
    | 'peerNamespace' // a namespace name in the body: a choice of the workspace's namespaces
    | 'dnsNamespace' // the DNS namespace of the settings
    | 'dnsPodLabels' // the labels of the DNS pods of the settings (a map)
    | 'dnsPort'; // the DNS port of the settings
}

/** A whole document completion offers at the top of an empty file. */
export interface Snippet {
  readonly label: string;
  /** One line; `{dnsPort}` and `{dnsNamespace}` are replaced with the settings. */
  readonly detail: string;
  /** The default of the name tab stop. */
  readonly name: string;
  /** The body under `spec:`. */
  readonly spec: SnippetValue;
}

/** One kind of one apiVersion: its object types, the root among them, and what the editor offers. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object type of the document's root (its fields are apiVersion, kind, metadata, spec...). */
  readonly root: string;
  readonly objects: Readonly<Record<string, ObjectSpec>>;
  /** apiVersions that once served the kind, with what happened to them. */
  readonly formerApiVersions?: Readonly<Record<string, string>>;
  /** Keys of the kind that, found under a label selector, are a block indented one level too deep. */
  readonly strayUnderSelector?: readonly string[];
  readonly snippets?: readonly Snippet[];
}
