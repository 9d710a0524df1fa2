// A small, strict argument parser: options may come before or after positional arguments.

export class UsageError extends Error {}

export interface OptionSpec {
  readonly name: string; // long name without dashes
  readonly short?: string;
  readonly value?: boolean; // takes a value
  readonly choices?: readonly string[];
  readonly repeat?: boolean;
}

export interface Parsed {
  readonly positional: string[];
  readonly options: Map<string, string[]>;
  readonly flags: Set<string>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.short) byName.set(`-${s.short}`, s);
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const flag = eq > 0 && a.startsWith('--') ? a.slice(0, eq) : a;
      const spec = byName.get(flag);
      if (!spec) throw new UsageError(`unknown option ${flag}`);
      if (!spec.value) {
        if (eq > 0) throw new UsageError(`option --${spec.name} takes no value`);
        flags.add(spec.name);
        continue;
      }
      let v: string;
      if (eq > 0) v = a.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`option --${spec.name} needs a value`);
        v = argv[++i];
      }
      if (spec.choices && !spec.choices.includes(v)) {
        throw new UsageError(`option --${spec.name} must be one of ${spec.choices.join(', ')} (got "${v}")`);
      }
      const prev = options.get(spec.name);
      if (prev && !spec.repeat) throw new UsageError(`option --${spec.name} given twice`);
      options.set(spec.name, [...(prev ?? []), v]);
      continue;
    }
    positional.push(a);
  }
  return { positional, options, flags };
}

export function opt(p: Parsed, name: string): string | undefined {
  return p.options.get(name)?.[0];
}
