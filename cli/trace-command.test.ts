import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceRedisUrl } from './trace-command';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kubeq-trace-cmd-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

test('REDIS_URL wins over the recorded local Redis', () => {
  writeFileSync(join(home, 'redis.url'), 'redis://127.0.0.1:7001\n');
  expect(traceRedisUrl({ KUBEQ_HOME: home, REDIS_URL: 'redis://r:6379' })).toBe('redis://r:6379');
  expect(traceRedisUrl({ KUBEQ_HOME: home })).toBe('redis://127.0.0.1:7001');
});

test('neither: an error saying what to do', () => {
  expect(() => traceRedisUrl({ KUBEQ_HOME: home })).toThrow(/set REDIS_URL, or start kubeq/);
});
