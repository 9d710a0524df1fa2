// Where the CLI writes: standard output or --output FILE, and messages on standard error. Text
// formats pass through terminalSafe (analysis/escape.ts) as their last step; JSON and SARIF are
// data and are written as they are (JSON escapes control characters itself). A reader that goes
// away (`netpol-lens check | head -1`) ends the output quietly: the command keeps its exit status.

import * as fs from 'node:fs';
import { terminalSafe, textLine } from '../analysis/escape';
import { UsageError } from './args';

let stdoutClosed = false;

function isClosedPipe(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Lets a closed standard output or error end the output instead of throwing (call once, at start). */
export function guardPipes(): void {
  process.stdout.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
    stdoutClosed = true;
  });
  process.stderr.on('error', () => undefined); // nowhere left to say anything
}

/** A message on standard error: `netpol-lens: [level: ]message`, on one line. */
export function say(message: string, level?: 'warning' | 'note'): void {
  process.stderr.write(terminalSafe(`netpol-lens: ${level ? `${level}: ` : ''}${textLine(message)}\n`));
}

export type Kind = 'text' | 'data';

/** Writes the whole output at once. */
export function writeOut(file: string | undefined, text: string, kind: Kind): void {
  const out = kind === 'text' ? terminalSafe(text) : text;
  if (file) {
    try {
      fs.writeFileSync(file, out);
    } catch (e) {
      throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else if (!stdoutClosed) process.stdout.write(out);
}

/** Streams data in chunks to the file or standard output (large JSON listings). */
export function writeChunks(file: string | undefined, produce: (write: (chunk: string) => void) => void): void {
  let fd: number;
  try {
    fd = file ? fs.openSync(file, 'w') : 1;
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    produce((chunk) => {
      const b = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < b.length && !(fd === 1 && stdoutClosed)) {
        try {
          off += fs.writeSync(fd, b, off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
          if (fd === 1 && isClosedPipe(e)) stdoutClosed = true;
          else throw e;
        }
      }
    });
  } finally {
    if (file) fs.closeSync(fd);
  }
}
