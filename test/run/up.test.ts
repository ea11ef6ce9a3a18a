import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startRedis } from '../helpers/redis';

/**
 * `kubeq up` as users run it: real processes from dist/ (build first). Roles come from
 * test/run/fixtures/roles through KUBEQ_ROLES_DIR, so these tests do not depend on the
 * real roles being finished.
 */
const root = resolve(__dirname, '../..');
const cli = join(root, 'dist/cli/main.js');
const fixtureRoles = join(__dirname, 'fixtures/roles');

interface Up {
  proc: ChildProcess;
  out: string[];
  err: string[];
  /** Resolves with the first line (of stdout, or stderr with `stream`) matching `re`. */
  waitFor(re: RegExp, stream?: 'out' | 'err', timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

function startUp(env: NodeJS.ProcessEnv): Up {
  const proc = spawn(process.execPath, [cli, 'up'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const up = { proc, out: [] as string[], err: [] as string[] };
  const listeners = new Set<() => void>();
  const collect = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      into.push(...parts);
      listeners.forEach((l) => l());
    };
  };
  proc.stdout.on('data', collect(up.out));
  proc.stderr.on('data', collect(up.err));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    ...up,
    exited,
    waitFor(re, stream = 'out', timeoutMs = 15_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const hit = (stream === 'out' ? up.out : up.err).find((l) => re.test(l));
          if (hit === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolvePromise(hit);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${stream} line matched ${re} in ${timeoutMs} ms.\nstdout:\n${up.out.join('\n')}\nstderr:\n${up.err.join('\n')}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/** The environment of a user with nothing kubeq-specific set, plus `extra`. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(KUBEQ_|REDIS_|OTEL_)/.test(k)));
  return { ...env, ...extra };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidIn(line: string): number {
  return Number(/pid=(\d+)/.exec(line)![1]);
}

let home: string;
let emptyBin: string;
const running: Up[] = [];
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kubeq-up-'));
  emptyBin = mkdtempSync(join(tmpdir(), 'kubeq-nopath-'));
});
afterEach(async () => {
  for (const up of running.splice(0)) {
    if (up.proc.exitCode === null) {
      up.proc.kill('SIGKILL');
      await up.exited;
    }
  }
  rmSync(home, { recursive: true, force: true });
  rmSync(emptyBin, { recursive: true, force: true });
});

test('starts redis-server and every role, writes the kubeconfig, restarts a dying role, and stops everything on SIGTERM', async () => {
  const port = await freePort();
  const up = startUp(cleanEnv({ KUBEQ_HOME: home, KUBEQ_API_PORT: String(port), KUBEQ_ROLES_DIR: fixtureRoles }));
  running.push(up);

  await up.waitFor(/^Ctrl-C stops everything\.$/);
  const banner = up.out.join('\n');
  expect(banner).toContain(`API        https://127.0.0.1:${port}`);
  expect(banner).toContain(`export KUBECONFIG=${join(home, 'kubeconfig')}`);
  expect(banner).toContain('roles      apiserver, crasher, echo');
  expect(banner).toMatch(/trace <target>/);
  expect(banner).toContain('http://localhost:16686');

  // Redis: a child on the URL recorded in the home, append-only file in <home>/redis.
  const redisUrl = readFileSync(join(home, 'redis.url'), 'utf8').trim();
  expect(redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
  const redis = new Redis(redisUrl);
  const info = await redis.info('server');
  const redisPid = Number(/process_id:(\d+)/.exec(info)![1]);
  expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  redis.disconnect();
  expect(existsSync(join(home, 'redis', 'appendonlydir'))).toBe(true);

  // Roles: own process, environment from the supervisor, output prefixed with the role name.
  const apiLine = await up.waitFor(/^apiserver \| pid=/);
  expect(apiLine).toContain(`redis=${redisUrl} service=kubeq-apiserver home=${home}`);
  const echoLine = await up.waitFor(/^echo {6}\| pid=\d+ service=kubeq-echo$/);
  await up.waitFor(/^echo {6}\| a line on stderr$/, 'err');
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('fixture apiserver\n');

  // Kubeconfig: 0600, the API URL, the token kept in <home>/token.
  const kubeconfig = readFileSync(join(home, 'kubeconfig'), 'utf8');
  expect(statSync(join(home, 'kubeconfig')).mode & 0o777).toBe(0o600);
  expect(kubeconfig).toContain(`server: https://127.0.0.1:${port}`);
  expect(kubeconfig).toContain(`token: ${readFileSync(join(home, 'token'), 'utf8').trim()}`);

  // A dying role is restarted: 1 s, then 2 s.
  await up.waitFor(/crasher exited with code 2 after .*; restarting in 1 s$/, 'err');
  await up.waitFor(/crasher exited with code 2 after .*; restarting in 2 s$/, 'err', 5000);

  // One kubeq up per home.
  const second = startUp(cleanEnv({ KUBEQ_HOME: home, KUBEQ_API_PORT: String(await freePort()), KUBEQ_ROLES_DIR: fixtureRoles }));
  running.push(second);
  expect(await second.exited).toBe(1);
  expect(second.err.join('\n')).toContain(`another kubeq up (pid ${up.proc.pid})`);

  up.proc.kill('SIGTERM');
  expect(await up.exited).toBe(0);
  expect(up.out).toContain('apiserver | SIGTERM: closing');
  expect(up.out).toContain('echo      | SIGTERM: done');
  for (const pid of [pidIn(apiLine), pidIn(echoLine), redisPid]) expect(alive(pid)).toBe(false);
  expect(existsSync(join(home, 'redis.url'))).toBe(false);
  expect(existsSync(join(home, 'up.pid'))).toBe(false);
});

test('without REDIS_URL and without redis-server on the PATH, exits 1 at once naming the ways out', async () => {
  const up = startUp(cleanEnv({ KUBEQ_HOME: home, PATH: emptyBin, KUBEQ_ROLES_DIR: fixtureRoles }));
  running.push(up);
  expect(await up.exited).toBe(1);
  const message = up.err.join('\n');
  expect(message).toContain('redis-server is not on the PATH');
  expect(message).toContain('apt-get install redis-server');
  expect(message).toContain('REDIS_URL=');
  expect(message).toContain('docker compose up');
  expect(up.out).toEqual([]);
});

test('with REDIS_URL, uses that Redis, starts none, and leaves it running on stop', async () => {
  const external = await startRedis();
  try {
    const port = await freePort();
    const up = startUp(cleanEnv({ KUBEQ_HOME: home, PATH: emptyBin, REDIS_URL: external.url, KUBEQ_API_PORT: String(port), KUBEQ_ROLES_DIR: fixtureRoles }));
    running.push(up);
    await up.waitFor(/^Ctrl-C stops everything\.$/);
    expect(up.out.join('\n')).toContain(`Redis      ${external.url}\n`);
    expect(await up.waitFor(/^apiserver \| pid=/)).toContain(`redis=${external.url} `);
    expect(existsSync(join(home, 'redis.url'))).toBe(false);
    up.proc.kill('SIGTERM');
    expect(await up.exited).toBe(0);
    expect(await external.client().ping()).toBe('PONG');
  } finally {
    await external.stop();
  }
});
