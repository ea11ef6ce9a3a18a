import { accessSync, constants, mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { killChild, startChild, stopChild, type RunningChild } from './child';
import type { Console } from './output';

/** Persistence and eviction, the same for the local child and docker-compose.yml's redis. */
export const REDIS_PERSISTENCE_ARGS = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'] as const;

/** What `kubeq up` says, and exits 1, when it would start Redis but cannot find it. */
export const NO_REDIS_MESSAGE = [
  'kubeq: redis-server is not on the PATH, and REDIS_URL is not set.',
  'kubeq keeps all its state in Redis (>= 6.2). Any one of these gets you going:',
  '  - install Redis, e.g. `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), then run `npm start` again;',
  '  - point kubeq at a Redis you already run: `REDIS_URL=redis://host:6379 npm start`;',
  '  - run everything in containers instead: `docker compose up`.',
].join('\n');

/** The first executable `name` on `pathEnv`, or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** redis-server's arguments: loopback only, data and append-only file under `dir`, no RDB snapshots. */
export function redisServerArgs(dir: string, port: number): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...REDIS_PERSISTENCE_ARGS, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
}

/** A port nothing listens on right now on 127.0.0.1. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** True when a Redis at host:port answers PING with PONG (false while it loads its data, or on any error). */
export async function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export interface LocalRedis {
  url: string;
  port: number;
  child: RunningChild;
  /** SIGTERM (Redis fsyncs its append-only file and exits), SIGKILL after the grace period. */
  stop(): Promise<void>;
  kill(): void;
}

export interface LocalRedisOptions {
  executable: string;
  /** Data directory; created if missing. */
  dir: string;
  /** redis-server's own output. */
  output: Console;
  signal?: AbortSignal;
  /** How long to wait for the first PONG, default 30 s (a large append-only file takes a while to load). */
  readyTimeoutMs?: number;
}

/**
 * Starts redis-server on a free loopback port and resolves once it answers PING. Rejects
 * (having stopped the child) if it exits first, does not answer in time, or `signal` aborts.
 */
export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const port = await freeLoopbackPort();
  const child = startChild({ command: opts.executable, args: redisServerArgs(opts.dir, port), env: process.env }, opts.output);
  let exitedWith: number | NodeJS.Signals | undefined;
  void child.exited.then((how) => (exitedWith = how));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  try {
    while (!(await pingRedis('127.0.0.1', port))) {
      if (exitedWith !== undefined) throw new Error(`redis-server exited (${exitedWith}) before answering PING on port ${port}`);
      if (opts.signal?.aborted) throw new Error('stopped while waiting for redis-server');
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port} in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    child,
    stop: () => stopChild(child),
    kill: () => killChild(child),
  };
}
