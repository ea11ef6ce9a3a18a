import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRoles, roleEnv } from './roles';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kubeq-roles-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function touch(...parts: string[]): void {
  mkdirSync(join(root, ...parts.slice(0, -1)), { recursive: true });
  writeFileSync(join(root, ...parts), '');
}

describe('discoverRoles', () => {
  test('services then workers, by name; folders without main.js are skipped', () => {
    touch('workers', 'scheduler', 'main.js');
    touch('workers', 'kubelet', 'main.js');
    touch('workers', 'half-built', 'reconcile.js');
    touch('services', 'apiserver', 'main.js');
    touch('services', 'README.md');
    expect(discoverRoles(root)).toEqual([
      { name: 'apiserver', kind: 'service', entry: join(root, 'services', 'apiserver', 'main.js') },
      { name: 'kubelet', kind: 'worker', entry: join(root, 'workers', 'kubelet', 'main.js') },
      { name: 'scheduler', kind: 'worker', entry: join(root, 'workers', 'scheduler', 'main.js') },
    ]);
  });

  test('nothing built', () => {
    expect(discoverRoles(root)).toEqual([]);
    expect(discoverRoles(join(root, 'missing'))).toEqual([]);
  });
});

test('roleEnv sets REDIS_URL, KUBEQ_HOME and the role service name over the base', () => {
  const env = roleEnv({ PATH: '/bin', OTEL_SERVICE_NAME: 'x', KUBEQ_SEED: '7' }, { name: 'scheduler' }, 'redis://r:1', '/h');
  expect(env).toEqual({ PATH: '/bin', KUBEQ_SEED: '7', REDIS_URL: 'redis://r:1', KUBEQ_HOME: '/h', OTEL_SERVICE_NAME: 'kubeq-scheduler' });
});
