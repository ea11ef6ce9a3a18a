import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { REDIS_PERSISTENCE_ARGS } from '../../cli/redis-child';
import { settingsVariables } from './settings-variables';

/**
 * docker-compose.yml's syntax and shape, checked without Docker: every role is a service of
 * the one image running an entry that exists, with the environment the settings module
 * reads, and every image is pinned.
 */
const root = resolve(__dirname, '../..');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = Object.entries(compose.services);
/** Services built from infra/Dockerfile: the kubeq roles. */
const roles = services.filter(([, s]) => s.build);

/** Source roles: services/<name>/main.ts and workers/<name>/main.ts. */
function sourceRoles(): string[] {
  return ['services', 'workers'].flatMap((top) => {
    const dir = join(root, top);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'main.ts')))
      .map((d) => d.name);
  });
}

test('parses, with redis, jaeger and the apiserver', () => {
  expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['redis', 'jaeger', 'apiserver']));
});

test('every image is pinned to a version tag', () => {
  for (const [name, service] of services) {
    expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
    if (!service.build) expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/:\d+\.\d+\.\d+$/) });
  }
  expect(compose.services.redis.image).toMatch(/^redis:7\./);
  expect(compose.services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./);
});

test('redis persists like the local child of kubeq up, on a volume, with a healthcheck', () => {
  const redis = compose.services.redis;
  expect(redis.command!.join(' ')).toContain(REDIS_PERSISTENCE_ARGS.join(' '));
  expect(redis.volumes!.some((v) => v.endsWith(':/data') && v.split(':')[0] in compose.volumes)).toBe(true);
  expect(redis.healthcheck!.test.join(' ')).toContain('redis-cli ping');
});

test('jaeger: OTLP/HTTP and UI ports, its config file, Badger on a volume', () => {
  const jaeger = compose.services.jaeger;
  expect(jaeger.ports!.map((p) => p.split(':').pop())).toEqual(expect.arrayContaining(['16686', '4318']));
  const configMount = jaeger.volumes!.find((v) => v.startsWith('./infra/jaeger.yaml:'))!;
  const configPath = configMount.split(':')[1];
  expect(jaeger.command).toEqual(['--config', configPath]);
  expect(jaeger.volumes!.some((v) => v.split(':')[0] in compose.volumes)).toBe(true);

  const config = parse(readFileSync(join(root, 'infra/jaeger.yaml'), 'utf8'));
  const backends = config.extensions.jaeger_storage.backends;
  const store = config.exporters.jaeger_storage_exporter.trace_storage;
  expect(backends[store].badger).toMatchObject({ ephemeral: false, directories: { keys: expect.any(String), values: expect.any(String) } });
  expect(config.extensions.jaeger_query.storage.traces).toBe(store);
  expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
  expect(config.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] });
});

test('every role service runs an entry that exists in the source tree, as its own service name', () => {
  expect(roles.length).toBeGreaterThan(0);
  for (const [name, service] of roles) {
    expect(service.build).toEqual({ context: '.', dockerfile: 'infra/Dockerfile' });
    const [node, entry, ...rest] = service.command!;
    expect({ name, node, rest }).toEqual({ name, node: 'node', rest: [] });
    const match = /^dist\/(services|workers)\/([\w-]+)\/main\.js$/.exec(entry);
    expect({ name, entry, match: match !== null }).toEqual({ name, entry, match: true });
    expect(match![2]).toBe(name);
    const source = join(root, match![1], match![2], 'main.ts');
    expect({ name, source, exists: existsSync(source) }).toEqual({ name, source, exists: true });
    expect(service.environment).toMatchObject({
      REDIS_URL: 'redis://redis:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_SERVICE_NAME: `kubeq-${name}`,
    });
    expect(service.depends_on?.redis).toEqual({ condition: 'service_healthy' });
  }
});

test('every role in the source tree is a compose service', () => {
  for (const role of sourceRoles()) expect(roles.map(([name]) => name)).toContain(role);
});

test('every KUBEQ_, REDIS_ and OTEL_ variable set is one the settings module reads', () => {
  const known = settingsVariables();
  for (const [name, service] of services) {
    for (const variable of Object.keys(service.environment ?? {}).filter((v) => /^(KUBEQ_|REDIS_|OTEL_)/.test(v))) {
      expect({ service: name, variable, read: known.has(variable) }).toEqual({ service: name, variable, read: true });
    }
  }
});

test('the apiserver listens on all interfaces in its container, published on loopback at the default port', () => {
  const api = compose.services.apiserver;
  expect(api.environment!.KUBEQ_API_HOST).toBe('0.0.0.0');
  expect(api.environment!.KUBEQ_TOKEN).toMatch(/^\$\{KUBEQ_TOKEN:-.+\}$/);
  expect(api.ports).toEqual(['127.0.0.1:8080:8080']);
});

test('the image: Node 20 bookworm-slim, npm ci, build, dev dependencies pruned; a .dockerignore', () => {
  const dockerfile = readFileSync(join(root, 'infra/Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^FROM node:20[\w.-]*-bookworm-slim AS build$/m);
  expect(dockerfile).toContain('npm ci');
  expect(dockerfile).toContain('npm run build');
  expect(dockerfile).toContain('npm prune --omit=dev');
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.kubeq', '.git']));
});
