// The syntax of names, label keys and values and port names, as apimachinery checks them
// (docs/semantics.md A.9, "Syntax details"), and spelling suggestions for unknown fields.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = QUALIFIED_NAME;

export function dns1123LabelErrors(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(s)) {
    out.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
    );
  }
  return out;
}

export function dns1123SubdomainErrors(s: string): string[] {
  const out: string[] = [];
  if (s.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(s)) {
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return out;
}

/** Errors of a label key (qualified name: optional DNS subdomain prefix and a name part). */
export function labelKeyErrors(key: string): string[] {
  const out: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const m of dns1123SubdomainErrors(prefix)) out.push(`prefix part ${m}`);
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters');
    if (!QUALIFIED_NAME.test(name)) {
      out.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
      );
    }
  }
  return out;
}

export function labelValueErrors(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (v.length > 0 && !LABEL_VALUE.test(v)) {
    out.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    );
  }
  return out;
}

/** IANA_SVC_NAME rules for named ports (k8s.io/apimachinery IsValidPortName). */
export function portNameErrors(name: string): string[] {
  const out: string[] = [];
  if (name.length < 1 || name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push("must not contain consecutive hyphens ('--')");
  if (name.startsWith('-') || name.endsWith('-')) out.push("must not begin or end with a hyphen ('-')");
  return out;
}

/** A DNS-1123 name close to `s` (lowercase, invalid characters replaced by "-"). */
export function dnsNameSuggestion(s: string, subdomain: boolean): string | undefined {
  const max = subdomain ? 253 : 63;
  const out = s
    .toLowerCase()
    .replace(subdomain ? /[^-a-z0-9.]+/g : /[^-a-z0-9]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max)
    .replace(/[-.]+$/, '');
  return out && out !== s && (subdomain ? DNS1123_SUBDOMAIN : DNS1123_LABEL).test(out) ? out : undefined;
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= n; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[n];
}

/**
 * The known field an unknown key most likely misspells (case, at most two edits, or a short
 * prefix/suffix); of equally close fields, the first in `known`.
 */
export function suggestField(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = levenshtein(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (
    best &&
    (bestD <= 2 ||
      (lower.startsWith(best.toLowerCase()) && lower.length - best.length <= 2) ||
      (best.toLowerCase().startsWith(lower) && best.length - lower.length <= 2))
  ) {
    return best;
  }
  return undefined;
}
