// Which extra arguments a config file that comes with the repository may give to the render
// programs. `netpol-lens check` runs on pull requests in CI, so a `.netpol-lens.yaml` of the pull
// request must not be able to make kustomize or helm run programs (`--enable-exec`,
// `--enable-alpha-plugins`, `--helm-command`, helm's `--post-renderer`), read files outside the
// repository (`--load-restrictor LoadRestrictionsNone`, `--set-file`, `--values` elsewhere) or
// write files (`--output`). Only the flags below pass; a value is given in the same argument
// (`--set=a=b`), so that no value can be read as a flag of its own. Settings of a trusted editor
// workspace and of the command line are the user's own and are not limited.

/** Flags with no value. */
const SWITCHES: Readonly<Record<'kustomize' | 'helm', ReadonlySet<string>>> = {
  kustomize: new Set(['--enable-helm', '--enable-managedby-label']),
  helm: new Set(['--include-crds', '--skip-crds', '--skip-tests', '--no-hooks', '--is-upgrade', '--dependency-update']),
};

/** Flags whose value follows an `=` in the same argument, with the values each one accepts. */
const VALUED: Readonly<Record<'kustomize' | 'helm', Readonly<Record<string, RegExp>>>> = {
  kustomize: {
    '--helm-api-versions': /^[\w./-]+(,[\w./-]+)*$/,
    '--helm-kube-version': /^v?\d+\.\d+(\.\d+)?$/,
    '--reorder': /^(legacy|none)$/,
    '--load-restrictor': /^LoadRestrictionsRootOnly$/,
  },
  helm: {
    '--set': /^[^\0]*$/,
    '--set-string': /^[^\0]*$/,
    '--set-json': /^[^\0]*$/,
    '--kube-version': /^v?\d+\.\d+(\.\d+)?$/,
    '--api-versions': /^[\w./-]+(,[\w./-]+)*$/,
  },
};

/** The flags of `flags` that a repository's config file may not pass to the program (empty: all fine). */
export function unsafeFlags(kind: 'kustomize' | 'helm', flags: readonly string[]): string[] {
  return flags.filter((f) => {
    if (SWITCHES[kind].has(f)) return false;
    const eq = f.indexOf('=');
    if (eq < 0) return true;
    const pattern = VALUED[kind][f.slice(0, eq)];
    return !pattern || !pattern.test(f.slice(eq + 1));
  });
}
