import { createServer, type Server } from 'node:net';
import { bindError, isListening, waitForListening } from './ports';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function listen(port = 0): Promise<number> {
  server = createServer();
  await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}

test('isListening and bindError see a listening port', async () => {
  const port = await listen();
  expect(await isListening('127.0.0.1', port)).toBe(true);
  expect(await bindError('127.0.0.1', port)).toBe('EADDRINUSE');
  await new Promise((r) => server!.close(r));
  server = undefined;
  expect(await isListening('127.0.0.1', port)).toBe(false);
  expect(await bindError('127.0.0.1', port)).toBeUndefined();
});

test('waitForListening waits for a late server, and gives up on abort', async () => {
  const free = await listen();
  await new Promise((r) => server!.close(r));
  server = undefined;
  const ac = new AbortController();
  const waiting = waitForListening('127.0.0.1', free, ac.signal, 20);
  setTimeout(() => void listen(free), 100);
  expect(await waiting).toBe(true);
  const aborted = new AbortController();
  setTimeout(() => aborted.abort(), 50);
  expect(await waitForListening('127.0.0.1', 1, aborted.signal, 20)).toBe(false);
});
