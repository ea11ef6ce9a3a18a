import { lookupResourceByName } from '../../shared/api/registry';
import { serviceNetwork } from '../../shared/net/service-network';
import { Store } from '../../shared/store/store';
import { ensureKubernetesService } from '../../services/apiserver/bootstrap';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApi, type TestApi } from '../helpers/api';

let redis: TestRedis;
let api: TestApi;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(async () => {
  api = await startApi(redis);
});
afterEach(() => api.close());

const SVC = '/api/v1/namespaces/default/services';
const svc = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec } });
const create = async (name: string, spec: Record<string, unknown> = {}) => api.call('POST', SVC, svc(name, spec));
const pool = async (name: string) => redis.client().hgetall(`${api.prefix}:claim:${name}`);

test('the kubernetes Service gets the first address and the DNS address stays free', async () => {
  await ensureKubernetesService(api.store, serviceNetwork(), 6443, '0.0.0.0');
  const k = (await api.call('GET', `${SVC}/kubernetes`)).body;
  expect(k.spec).toMatchObject({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] });
  expect(k.spec.selector).toBeUndefined();
  const ep = (await api.call('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).body;
  expect(ep.subsets).toEqual([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  const slice = (await api.call('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).body;
  expect(slice).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] });
  await ensureKubernetesService(api.store, serviceNetwork(), 6443);
  const made = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`s${i}`)));
  const ips = made.map((r) => r.body.spec.clusterIP);
  expect(new Set(ips).size).toBe(20);
  expect(ips).not.toContain('10.96.0.10');
  expect(ips).not.toContain('10.96.0.1');
  expect(made.every((r) => r.status === 201)).toBe(true);
});

test('ClusterIP: allocated, requested, taken, out of range, released on delete', async () => {
  const a = await create('a');
  expect(a.status).toBe(201);
  expect(a.body.spec).toMatchObject({ type: 'ClusterIP', clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' });
  const b = await create('b', { clusterIP: '10.96.0.50' });
  expect(b.body.spec.clusterIP).toBe('10.96.0.50');
  const taken = await create('c', { clusterIP: '10.96.0.50' });
  expect(taken.status).toBe(422);
  expect(taken.body.message).toBe('Service "c" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.50"]: failed to allocate IP 10.96.0.50: provided IP is already allocated');
  const dryRun = await api.call('POST', `${SVC}?dryRun=All`, svc('c', { clusterIP: '10.96.0.50' }));
  expect([dryRun.status, dryRun.body.message]).toEqual([422, taken.body.message]);
  expect((await api.call('POST', `${SVC}?dryRun=All`, svc('c', { clusterIP: '10.96.0.51' }))).status).toBe(201);
  const outside = await create('c', { clusterIP: '10.0.0.5' });
  expect(outside.body.message).toBe(
    'Service "c" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  );
  expect(await pool('serviceips')).toEqual({ '10.96.1.1': 'services/default/a', '10.96.0.50': 'services/default/b' });
  expect((await api.call('DELETE', `${SVC}/b`)).status).toBe(200);
  expect((await create('c', { clusterIP: '10.96.0.50' })).status).toBe(201);
  const headless = await create('h', { clusterIP: 'None' });
  expect(headless.body.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
  expect(Object.keys(await pool('serviceips'))).toHaveLength(2);
});

test('concurrent creates asking for one address: exactly one wins', async () => {
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create(`race${i}`, { clusterIP: '10.96.0.77' })));
  expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422, 422, 422, 422]);
});

test('NodePort: allocated, requested, duplicates refused, released on type change and delete', async () => {
  const np = await create('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 80, protocol: 'UDP' }, { name: 'x', port: 81, nodePort: 30081 }] });
  expect(np.status).toBe(201);
  const ports = np.body.spec.ports;
  expect(ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  expect(ports[1].nodePort).toBe(ports[0].nodePort);
  expect(ports[2].nodePort).toBe(30081);
  expect(np.body.spec.externalTrafficPolicy).toBe('Cluster');
  const dup = await create('dup', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] });
  expect(dup.body.message).toBe('Service "dup" is invalid: spec.ports[0].nodePort: Invalid value: 30081: provided port is already allocated');
  const range = await create('dup', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] });
  expect(range.body.message).toBe('Service "dup" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767');
  expect(Object.keys(await pool('nodeports')).sort()).toEqual([String(ports[0].nodePort), '30081'].sort());

  const patched = await api.call('PATCH', `${SVC}/np`, { spec: { type: 'ClusterIP' } }, { 'content-type': 'application/strategic-merge-patch+json' });
  expect(patched.status).toBe(200);
  expect(patched.body.spec.ports.map((p: any) => p.nodePort)).toEqual([undefined, undefined, undefined]);
  expect(patched.body.spec.externalTrafficPolicy).toBeUndefined();
  expect(patched.body.spec.clusterIP).toBe(np.body.spec.clusterIP);
  expect(await pool('nodeports')).toEqual({});
  expect((await create('dup', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] })).status).toBe(201);
  await api.call('DELETE', `${SVC}/dup`);
  expect(await pool('nodeports')).toEqual({});
});

test('a PUT without allocated values keeps them', async () => {
  const np = (await create('keep', { type: 'NodePort' })).body;
  const put = await api.call('PUT', `${SVC}/keep`, svc('keep', { type: 'NodePort' }));
  expect(put.status).toBe(200);
  expect(put.body.spec.clusterIP).toBe(np.spec.clusterIP);
  expect(put.body.spec.ports[0].nodePort).toBe(np.spec.ports[0].nodePort);
  const moved = await api.call('PUT', `${SVC}/keep`, svc('keep', { type: 'NodePort', clusterIP: '10.96.0.99' }));
  expect(moved.body.message).toBe('Service "keep" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set');
});

test('LoadBalancer: an ingress address from the pool, a health check port for Local, released on delete', async () => {
  const lb = await create('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP' });
  expect(lb.status).toBe(201);
  expect(lb.body.status.loadBalancer.ingress).toEqual([{ ip: '172.20.64.1', ipMode: 'VIP' }]);
  expect(lb.body.spec).toMatchObject({ allocateLoadBalancerNodePorts: true, sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
  expect(lb.body.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
  expect(lb.body.spec.healthCheckNodePort).not.toBe(lb.body.spec.ports[0].nodePort);
  const table = await api.call('GET', SVC, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  expect(table.body.rows.find((r: any) => r.cells[0] === 'lb').cells.slice(1, 5)).toEqual(['LoadBalancer', lb.body.spec.clusterIP, '172.20.64.1', `80:${lb.body.spec.ports[0].nodePort}/TCP`]);
  const ext = await create('ext', { type: 'ExternalName', externalName: 'db.example.com', selector: undefined, ports: undefined });
  expect(ext.body.spec.clusterIP).toBeUndefined();
  await api.call('DELETE', `${SVC}/lb`);
  expect(await pool('loadbalancerips')).toEqual({});
  expect(await pool('nodeports')).toEqual({});
});

test('allocations survive a restart: a new Store over the same Redis keeps them', async () => {
  const first = (await create('before')).body.spec.clusterIP;
  const store = new Store(redis.client(), { prefix: api.prefix, resources: lookupResourceByName });
  const again = await store.create('services', { ...svc('again', { clusterIP: first }), metadata: { name: 'again', namespace: 'default' } }).catch((e: Error) => e.message);
  expect(again).toBe(`Service "again" is invalid: spec.clusterIPs: Invalid value: ["${first}"]: failed to allocate IP ${first}: provided IP is already allocated`);
  const next = await store.create('services', { ...svc('next'), metadata: { name: 'next', namespace: 'default' } });
  expect(next.spec.clusterIP).not.toBe(first);
});

test('Endpoints and EndpointSlices are served with their tables', async () => {
  const ep = await api.call('POST', '/api/v1/namespaces/default/endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }] });
  expect(ep.status).toBe(201);
  const slice = await api.call('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x1', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080 }],
  });
  expect(slice.status).toBe(201);
  const accept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
  expect((await api.call('GET', '/api/v1/namespaces/default/endpoints', undefined, accept)).body.rows[0].cells.slice(0, 2)).toEqual(['web', '10.244.1.5:8080']);
  expect((await api.call('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', undefined, accept)).body.rows[0].cells.slice(0, 4)).toEqual(['web-x1', 'IPv4', '8080', '10.244.1.5']);
});

test('a store configured with other ranges (a worker) keeps and releases what the apiserver allocated', async () => {
  const made = (await create('w', { type: 'NodePort' })).body;
  const worker = new Store(redis.client(), { prefix: api.prefix, resources: lookupResourceByName, serviceNetwork: { serviceCIDR: '10.200.0.0/16', nodePortRange: '31000-31999' } });
  const labeled = await worker.guaranteedUpdate('services', 'default', 'w', (s) => ({ ...s, metadata: { ...s.metadata, labels: { team: 'a' } } }));
  expect([labeled.spec.clusterIP, labeled.spec.ports[0].nodePort]).toEqual([made.spec.clusterIP, made.spec.ports[0].nodePort]);
  await worker.delete('services', 'default', 'w');
  expect(await pool('serviceips')).toEqual({});
  expect(await pool('nodeports')).toEqual({});
});
