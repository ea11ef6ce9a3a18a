// Real role processes and API calls for the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const DIST = resolve(__dirname, '..');

export interface Role {
  name: string;
  child: ChildProcess;
}

/** Spawns dist/`entry` with `env` (and `nodeArgs`, e.g. --cpu-prof) and resolves at its ready line; rejects with its output if it exits first. */
export function startRole(name: string, entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Role> {
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, entry)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/: ready/.test(out)) resolvePromise({ name, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${out}`)));
  });
}

/** One HTTPS call to the apiserver with the bench's token: status, parsed body and milliseconds. */
export function call(url: string, ca: string, token: string, method: string, body?: unknown): Promise<{ status: number; body: any; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null'), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
