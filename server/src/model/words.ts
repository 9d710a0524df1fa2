// Small phrasing helpers for the messages of every layer (rules, hovers, reports, the CLI).

/** A count with its noun: `1 workload`, `3 workloads`, `2 policies` (with `many`). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The last segment of a URI or path, decoded (`my%20file.yaml` -> `my file.yaml`). */
export function fileName(uri: string): string {
  const i = uri.lastIndexOf('/');
  try {
    return decodeURIComponent(i === -1 ? uri : uri.slice(i + 1));
  } catch {
    return i === -1 ? uri : uri.slice(i + 1);
  }
}
