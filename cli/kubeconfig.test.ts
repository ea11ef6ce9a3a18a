import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubeconfigText } from './kubeconfig';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kubeq-cli-kubeconfig-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

test('prints the kubeconfig kubeq up wrote', () => {
  writeFileSync(join(home, 'kubeconfig'), 'written by up\n');
  expect(kubeconfigText({ KUBEQ_HOME: home })).toBe('written by up\n');
});

test('without one, builds it from the settings', () => {
  const doc = parse(kubeconfigText({ KUBEQ_HOME: home, KUBEQ_API_HOST: '0.0.0.0', KUBEQ_API_PORT: '9090', KUBEQ_TOKEN: 't' }));
  expect(doc.clusters[0].cluster.server).toBe('https://127.0.0.1:9090');
  expect(doc.users[0].user.token).toBe('t');
});
