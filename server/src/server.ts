// Entry point of the language server. The transport comes from the command line, as every LSP
// client passes it: `--stdio` (Neovim, Helix, Emacs, the benchmarks), `--node-ipc` (VS Code),
// `--socket=N` or `--pipe=NAME`.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { NetpolServer } from './handlers/serverInit';

if (
  !process.argv.some(
    (a) =>
      a === '--stdio' ||
      a === '--node-ipc' ||
      a.startsWith('--socket') ||
      a.startsWith('--pipe') ||
      a.startsWith('--clientProcessId'),
  )
) {
  process.stderr.write(
    'netpol-lens language server: start it with --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)\n',
  );
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
// console.log would write into the stdio transport: send it to the client's log instead
console.log = (...args: unknown[]): void => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]): void => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));

new NetpolServer(connection).start();
