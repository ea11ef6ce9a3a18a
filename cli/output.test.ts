import { PassThrough } from 'node:stream';
import { eachLine, linePrefix, prefixed, type Console } from './output';

test('linePrefix pads names into one column', () => {
  expect(linePrefix('redis', 9)).toBe('redis     | ');
  expect(linePrefix('apiserver', 9)).toBe('apiserver | ');
});

test('eachLine splits chunks into lines and flushes the last partial line at end', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  eachLine(stream, (l) => lines.push(l));
  stream.write('one\ntw');
  stream.write('o\r\nthree');
  stream.end();
  await new Promise((r) => stream.on('end', r));
  await new Promise((r) => setImmediate(r));
  expect(lines).toEqual(['one', 'two', 'three']);
});

test('prefixed', () => {
  const seen: string[] = [];
  const base: Console = { out: (l) => seen.push(`out:${l}`), err: (l) => seen.push(`err:${l}`) };
  const c = prefixed(base, 'x | ');
  c.out('a');
  c.err('b');
  expect(seen).toEqual(['out:x | a', 'err:x | b']);
});
