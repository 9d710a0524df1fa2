// Reading a manifest (or a config file) from disk with a size cap: only regular files (opened
// non-blocking, so that a FIFO cannot hang the reader, and checked after opening), at most
// `maxBytes` bytes whatever the size on disk says (files in /proc report 0), a BOM dropped.

import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

export type ReadResult = { readonly text: string } | { readonly tooLarge: true } | { readonly error: string };

const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
const CHUNK = 1 << 20;

/**
 * The size of the next read: the rest of the size on disk and one byte more (to see the end, or a
 * file that grew) while below it, else a chunk (files in /proc report 0); never past the cap.
 */
function nextRead(size: number, total: number, maxBytes: number): number {
  return Math.min(total < size ? size - total + 1 : CHUNK, CHUNK, maxBytes + 1 - total);
}

function errorText(e: unknown): string {
  const c = (e as NodeJS.ErrnoException).code;
  return c === 'ENOENT' ? 'no such file or directory' : (c ?? (e as Error).message);
}

function decode(chunks: Buffer[]): ReadResult {
  const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Reads a regular file of at most maxBytes bytes. */
export function readTextFileSync(file: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, FLAGS);
  } catch (e) {
    return { error: errorText(e) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > maxBytes) return { tooLarge: true };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(nextRead(st.size, total, maxBytes));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { tooLarge: true };
      chunks.push(buf.subarray(0, n));
      if (n < buf.length && total === st.size) break; // a short read at the size on disk: the end
    }
    return decode(chunks);
  } catch (e) {
    return { error: errorText(e) };
  } finally {
    fs.closeSync(fd);
  }
}

/** The same, with asynchronous calls (the language server). */
export async function readTextFile(file: string, maxBytes: number): Promise<ReadResult> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, FLAGS);
  } catch (e) {
    return { error: errorText(e) };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > maxBytes) return { tooLarge: true };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(nextRead(st.size, total, maxBytes));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return { tooLarge: true };
      chunks.push(buf.subarray(0, bytesRead));
      if (bytesRead < buf.length && total === st.size) break; // a short read at the size on disk: the end
    }
    return decode(chunks);
  } catch (e) {
    return { error: errorText(e) };
  } finally {
    await handle.close();
  }
}
