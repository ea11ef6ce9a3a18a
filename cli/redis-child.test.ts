import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, pingRedis, redisServerArgs, startLocalRedis } from './redis-child';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeq-redis-child-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('findOnPath finds executables only', () => {
  writeFileSync(join(dir, 'plain'), '');
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
  chmodSync(join(dir, 'tool'), 0o755);
  expect(findOnPath('tool', `/nonexistent:${dir}`)).toBe(join(dir, 'tool'));
  expect(findOnPath('plain', dir)).toBeUndefined();
  expect(findOnPath('tool', '')).toBeUndefined();
  expect(findOnPath('tool', undefined)).toBeUndefined();
});

test('redisServerArgs: loopback, data dir, append-only everysec, noeviction', () => {
  const args = redisServerArgs('/d', 7000);
  const opt = (name: string) => args[args.indexOf(name) + 1];
  expect(opt('--port')).toBe('7000');
  expect(opt('--bind')).toBe('127.0.0.1');
  expect(opt('--dir')).toBe('/d');
  expect(opt('--appendonly')).toBe('yes');
  expect(opt('--appendfsync')).toBe('everysec');
  expect(opt('--maxmemory-policy')).toBe('noeviction');
});

/** redis-server is a test prerequisite, like everywhere under test/. */
const redisServer = findOnPath('redis-server', process.env.PATH);

test('startLocalRedis answers PING, writes its append-only file under dir, and stops', async () => {
  const lines: string[] = [];
  const console = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const redis = await startLocalRedis({ executable: redisServer!, dir: join(dir, 'redis'), output: console });
  expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
  expect(await pingRedis('127.0.0.1', redis.port)).toBe(true);
  expect(existsSync(join(dir, 'redis', 'appendonlydir'))).toBe(true);
  await redis.stop();
  expect(await pingRedis('127.0.0.1', redis.port)).toBe(false);
});

test('startLocalRedis rejects when redis-server exits at once', async () => {
  const bad = join(dir, 'redis-server');
  writeFileSync(bad, '#!/bin/sh\necho "bad config" >&2\nexit 1\n');
  chmodSync(bad, 0o755);
  const console = { out: () => {}, err: () => {} };
  await expect(startLocalRedis({ executable: bad, dir: join(dir, 'r'), output: console })).rejects.toThrow(/exited \(1\) before answering PING/);
});

test('pingRedis is false when nothing listens', async () => {
  expect(await pingRedis('127.0.0.1', 1)).toBe(false);
});
