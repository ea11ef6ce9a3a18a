import { readyBanner, type ReadyInfo } from './banner';

const base: ReadyInfo = {
  apiUrl: 'https://127.0.0.1:8080',
  rolesRoot: '/app/dist',
  kubeconfig: '/app/.kubeq/kubeconfig',
  redisUrl: 'redis://127.0.0.1:40000',
  redisDir: '/app/.kubeq/redis',
  roles: ['apiserver', 'scheduler'],
  cli: 'node dist/cli/main.js',
};

test('names the API, the kubeconfig export, Redis, the roles and how to read traces', () => {
  expect(readyBanner(base)).toEqual([
    'kubeq is up.',
    '  API        https://127.0.0.1:8080',
    '  kubeconfig export KUBECONFIG=/app/.kubeq/kubeconfig',
    '             kubectl get namespaces',
    '  Redis      redis://127.0.0.1:40000 (local redis-server, data in /app/.kubeq/redis)',
    '  roles      apiserver, scheduler',
    '  traces     node dist/cli/main.js trace <target>',
    '             Jaeger UI at http://localhost:16686 when running under docker compose',
    'Ctrl-C stops everything.',
  ]);
});

test('no apiserver, external Redis, OTLP export', () => {
  const text = readyBanner({ ...base, apiUrl: undefined, redisDir: undefined, roles: [], otlpEndpoint: 'http://localhost:4318' }).join('\n');
  expect(text).toContain('no apiserver built (no services/apiserver/main.js under /app/dist); run npm run build');
  expect(text).toContain('  Redis      redis://127.0.0.1:40000\n');
  expect(text).toContain('roles      none built yet');
  expect(text).toContain('exported to http://localhost:4318');
});
