import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KUBECONFIG_FILE, TOKEN_FILE } from '../shared/config/kubeconfig';

/** The files `kubeq up` keeps in KUBEQ_HOME. */
export interface HomePaths {
  /** KUBEQ_HOME, absolute. */
  root: string;
  kubeconfig: string;
  /** The generated token, when neither KUBEQ_TOKEN nor KUBEQ_TOKEN_FILE is set. */
  token: string;
  /** The local redis-server's data directory (append-only file in `appendonlydir/`). */
  redisDir: string;
  /** The local Redis URL while `kubeq up` runs; `kubeq trace` reads it. */
  redisUrl: string;
  /** The running supervisor's pid: one `kubeq up` per home. */
  lock: string;
}

export function homePaths(home: string): HomePaths {
  const root = resolve(home);
  return {
    root,
    kubeconfig: join(root, KUBECONFIG_FILE),
    token: join(root, TOKEN_FILE),
    redisDir: join(root, 'redis'),
    redisUrl: join(root, 'redis.url'),
    lock: join(root, 'up.pid'),
  };
}

/** The URL the running `kubeq up` recorded, or undefined. */
export function recordedRedisUrl(paths: HomePaths): string | undefined {
  try {
    return readFileSync(paths.redisUrl, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the home's lock for this process. Throws if another live process holds it; a lock
 * left by a process that no longer exists is taken over. Returns the release function.
 */
export function lockHome(paths: HomePaths, pid = process.pid): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(paths.lock, `${pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rmSync(paths.lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = Number(readFileSync(paths.lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new Error(`another kubeq up (pid ${holder}) is using ${paths.root}; stop it, or set KUBEQ_HOME to another directory`);
    }
    rmSync(paths.lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
