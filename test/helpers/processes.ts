import { httpsCall } from '../../cli/api-client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './redis';

/** A role running as a real child process from the built tree (dist/), as `npm start` runs it. */
export interface RoleProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first output line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export const ROOT = resolve(__dirname, '../..');

export function startRole(entry: string, env: NodeJS.ProcessEnv): RoleProcess {
  const child = spawn(process.execPath, [join(ROOT, 'dist', entry)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 20_000) {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in output of ${entry}:\n${out}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolvePromise(l)) });
        child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before ${pattern}:\n${out}`)));
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface ApiServerProcess extends RoleProcess {
  url: string;
  token: string;
  home: string;
  kubeconfig: string;
  /** The cluster CA the server's certificate is signed by. */
  ca: string;
  /** An HTTPS request with the bearer token; `body` objects are sent as JSON. */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
}

/** An HTTPS request trusting `ca` (the CLI's client, shared). */
export { httpsCall };

/** Starts the apiserver against `redisUrl` with its own home, port and token. */
export async function startApiServer(redisUrl: string, prefix: string, env: NodeJS.ProcessEnv = {}): Promise<ApiServerProcess> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'kubeq-test-'));
  const token = `test-token-${port}`;
  const role = startRole('services/apiserver/main.js', {
    REDIS_URL: redisUrl,
    KUBEQ_REDIS_PREFIX: prefix,
    KUBEQ_API_PORT: String(port),
    KUBEQ_API_HOST: '127.0.0.1',
    KUBEQ_HOME: home,
    KUBEQ_TOKEN: token,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...env,
  });
  await role.waitFor(/apiserver: ready at/);
  const url = `https://127.0.0.1:${port}`;
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  return { ...role, url, token, home, ca, kubeconfig: join(home, 'kubeconfig'), call: (method, path, body, type) => httpsCall(url + path, ca, token, method, body, type) };
}
