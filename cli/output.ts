import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** `name` padded to `width`, then ` | `: the column every supervised line starts with. */
export function linePrefix(name: string, width: number): string {
  return `${name.padEnd(width)} | `;
}

/**
 * Calls `onLine` for each line of `stream` (without its newline); a last line without a
 * newline is delivered when the stream ends.
 */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** Where the supervisor writes: one prefixed line at a time to stdout or stderr. */
export interface Console {
  out(line: string): void;
  err(line: string): void;
}

export const processConsole: Console = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

/** A console whose lines all start with `prefix`. */
export function prefixed(console: Console, prefix: string): Console {
  return { out: (line) => console.out(prefix + line), err: (line) => console.err(prefix + line) };
}
