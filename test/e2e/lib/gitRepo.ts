// A throw-away Git repository for the UI specs that run with Git enabled: a copy of a folder,
// committed once, with Git's user and system configuration kept out (the same environment is
// given to code-server, so that VS Code's Git extension sees the same repository the same way).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GitRepo {
  /** The repository (and workspace) folder. */
  readonly dir: string;
  /** Environment for git and for code-server: no system or global Git configuration, no prompts. */
  readonly env: Record<string, string>;
  git(...args: string[]): string;
  remove(): void;
}

/** Copies `source` (without .git) into a new repository on branch main and commits it. */
export function createGitRepo(source: string, name = 'workspace'): GitRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-git-'));
  const dir = path.join(root, name);
  const globalConfig = path.join(root, 'gitconfig');
  writeFileSync(
    globalConfig,
    '[user]\n\tname = netpol-lens e2e\n\temail = e2e@netpol-lens.invalid\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n',
  );
  const env: Record<string, string> = {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_TERMINAL_PROMPT: '0',
  };
  cpSync(source, dir, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
  const git = (...args: string[]): string => {
    const r = spawnSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.error?.message ?? ''}${r.stderr}`);
    return r.stdout;
  };
  try {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'manifests');
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return { dir, env, git, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** User settings that turn VS Code's Git support back on (QUIET_SETTINGS turns it off), quietly and offline. */
export const GIT_SETTINGS: Readonly<Record<string, unknown>> = {
  'git.enabled': true,
  'git.autofetch': false,
  'git.autoRepositoryDetection': true,
  'git.openRepositoryInParentFolders': 'never',
  'git.terminalAuthentication': false,
  'git.ignoreMissingGitWarning': true,
  'github.gitAuthentication': false,
};
