import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { settingsVariables } from './settings-variables';

/** The README lists every setting: all that settings.ts reads, and every KUBEQ_ variable named in the code. */
const root = resolve(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

test('every variable the settings module reads is in the README', () => {
  for (const variable of settingsVariables()) expect({ variable, listed: readme.includes(`\`${variable}\``) }).toEqual({ variable, listed: true });
});

test('every KUBEQ_ variable the code reads is in the README', () => {
  const files = ['services', 'workers', 'shared', 'cli'].flatMap((d) => sourceFiles(join(root, d)));
  const named = new Set(files.flatMap((f) => readFileSync(f, 'utf8').match(/\bKUBEQ_[A-Z0-9_]*[A-Z0-9]\b/g) ?? []));
  for (const variable of named) expect({ variable, listed: readme.includes(`\`${variable}\``) }).toEqual({ variable, listed: true });
});

test('the quick start names the ways to run and test kubeq', () => {
  for (const command of ['docker compose up', 'npm ci && npm start', 'export KUBECONFIG=$PWD/.kubeq/kubeconfig && kubectl get ns', 'npm ci && npm test']) {
    expect(readme).toContain(command);
  }
});
