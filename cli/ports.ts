import { connect, createServer } from 'node:net';

/** True when something accepts TCP connections on host:port. */
export async function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves true once host:port accepts connections, false if `signal` aborts first. */
export async function waitForListening(host: string, port: number, signal: AbortSignal, intervalMs = 100): Promise<boolean> {
  while (!signal.aborted) {
    if (await isListening(host, port)) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return false;
}

/** Undefined when a server could bind host:port now; else the reason (e.g. `EADDRINUSE`). */
export async function bindError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    srv.listen(port, host, () => srv.close(() => resolve(undefined)));
  });
}
