import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homePaths, lockHome, recordedRedisUrl } from './home';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kubeq-home-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('homePaths resolves a relative home against the working directory', () => {
  const paths = homePaths('.kubeq');
  expect(paths.root).toBe(join(process.cwd(), '.kubeq'));
  expect(paths.kubeconfig).toBe(join(process.cwd(), '.kubeq', 'kubeconfig'));
  expect(paths.redisDir).toBe(join(process.cwd(), '.kubeq', 'redis'));
});

test('recordedRedisUrl', () => {
  const paths = homePaths(root);
  expect(recordedRedisUrl(paths)).toBeUndefined();
  writeFileSync(paths.redisUrl, 'redis://127.0.0.1:7001\n');
  expect(recordedRedisUrl(paths)).toBe('redis://127.0.0.1:7001');
});

describe('lockHome', () => {
  test('one holder at a time; release frees it', () => {
    const paths = homePaths(root);
    const release = lockHome(paths);
    expect(() => lockHome(paths)).toThrow(`another kubeq up (pid ${process.pid})`);
    release();
    expect(existsSync(paths.lock)).toBe(false);
    lockHome(paths)();
  });

  test('a stale lock of a dead process is taken over', () => {
    const paths = homePaths(root);
    writeFileSync(paths.lock, '2147483646\n');
    const release = lockHome(paths);
    release();
  });
});
