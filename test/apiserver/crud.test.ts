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

const deployment = (name: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
});

test('discovery: /version, /api, /apis, /api/v1, /apis/apps/v1', async () => {
  expect((await api.call('GET', '/version')).body).toMatchObject({ major: '1', minor: '32' });
  expect((await api.call('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  const groups = (await api.call('GET', '/apis')).body;
  expect(groups.groups.map((g: any) => g.name)).toEqual(expect.arrayContaining(['apps', 'coordination.k8s.io']));
  const core = (await api.call('GET', '/api/v1')).body;
  expect(core.resources.map((r: any) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/status', 'pods/binding', 'nodes', 'namespaces', 'configmaps', 'secrets', 'events']));
  const apps = (await api.call('GET', '/apis/apps/v1')).body;
  expect(apps.resources.find((r: any) => r.name === 'deployments/scale')).toMatchObject({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
  expect((await api.call('GET', '/apis/nope/v1')).status).toBe(404);
});

test('health endpoints need no token; everything else does', async () => {
  for (const path of ['/healthz', '/livez', '/readyz']) expect((await fetch(api.url + path)).status).toBe(200);
  const res = await fetch(`${api.url}/api/v1/namespaces`);
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
  expect((await fetch(`${api.url}/api/v1/namespaces`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
});

test('create, get, list, update, patch and delete a Deployment, with defaults filled', async () => {
  const created = await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'));
  expect(created.status).toBe(201);
  expect(created.body.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  expect(created.body.spec.revisionHistoryLimit).toBe(10);
  expect(created.body.metadata.generation).toBe(1);
  const got = await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web');
  expect(got.body).toEqual(created.body);
  const list = await api.call('GET', '/apis/apps/v1/namespaces/default/deployments');
  expect(list.body).toMatchObject({ kind: 'DeploymentList', apiVersion: 'apps/v1', items: [{ metadata: { name: 'web' } }] });
  const put = await api.call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...created.body, spec: { ...created.body.spec, replicas: 3 } });
  expect(put.status).toBe(200);
  expect(put.body.metadata.generation).toBe(2);
  const stale = await api.call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', created.body);
  expect(stale.status).toBe(409);
  expect(stale.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
  const patched = await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { metadata: { labels: { tier: 'front' } } }, { 'content-type': 'application/merge-patch+json' });
  expect(patched.body.metadata.labels).toEqual({ app: 'web', tier: 'front' });
  const deleted = await api.call('DELETE', '/apis/apps/v1/namespaces/default/deployments/web');
  expect(deleted.status).toBe(200);
  expect((await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body).toMatchObject({ code: 404, reason: 'NotFound', message: 'deployments.apps "web" not found' });
});

test('scale subresource reads and writes spec.replicas', async () => {
  await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('s', 1));
  const scale = await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/s/scale');
  expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { selector: 'app=s' } });
  const patched = await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/s/scale', { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
  expect(patched.body.spec.replicas).toBe(5);
  expect((await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/s')).body.spec.replicas).toBe(5);
  const bad = await api.call('PUT', '/apis/apps/v1/namespaces/default/deployments/s/scale', { ...scale.body, spec: { replicas: -1 } });
  expect(bad.status).toBe(422);
});

test('status subresource: a main update keeps status; a status update keeps spec', async () => {
  const made = (await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('st'))).body;
  const status = await api.call('PUT', '/apis/apps/v1/namespaces/default/deployments/st/status', { ...made, spec: { ...made.spec, replicas: 9 }, status: { replicas: 2, readyReplicas: 1 } });
  expect(status.body.status).toEqual({ replicas: 2, readyReplicas: 1 });
  expect(status.body.spec.replicas).toBe(2);
  const main = await api.call('PUT', '/apis/apps/v1/namespaces/default/deployments/st', { ...status.body, status: {} });
  expect(main.body.status).toEqual({ replicas: 2, readyReplicas: 1 });
});

test('binding assigns a pod to a node once', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
  const bind = await api.call('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
  expect(bind.status).toBe(201);
  const got = (await api.call('GET', '/api/v1/namespaces/default/pods/p')).body;
  expect(got.spec.nodeName).toBe('node-1');
  expect(got.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
  const again = await api.call('POST', '/api/v1/namespaces/default/pods/p/binding', { target: { name: 'node-2' } });
  expect(again.status).toBe(409);
  expect((await api.call('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1')).body.items).toHaveLength(1);
});

test('namespaces: content needs an existing, live namespace; system namespaces cannot be deleted', async () => {
  const missing = await api.call('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'c' } });
  expect(missing.body).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  const del = await api.call('DELETE', '/api/v1/namespaces/default');
  expect(del.body).toMatchObject({ code: 403, reason: 'Forbidden', message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  expect((await api.call('POST', '/api/v1/namespaces', { metadata: { name: 'team' } })).status).toBe(201);
  const terminating = await api.call('DELETE', '/api/v1/namespaces/team');
  expect(terminating.body.status.phase).toBe('Terminating');
  const blocked = await api.call('POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'c' } });
  expect(blocked.body).toMatchObject({ code: 403, message: 'configmaps "c" is forbidden: unable to create new content in namespace team because it is being terminated' });
  const fin = await api.call('PUT', '/api/v1/namespaces/team/finalize', { ...terminating.body, spec: { finalizers: [] } });
  expect(fin.status).toBe(200);
  expect((await api.call('GET', '/api/v1/namespaces/team')).status).toBe(404);
});

test('kubectl get asks for a Table and gets the kubectl columns', async () => {
  await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('t'));
  const res = await api.call('GET', '/apis/apps/v1/namespaces/default/deployments', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  expect(res.body.kind).toBe('Table');
  expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  expect(res.body.rows[0].cells.slice(0, 4)).toEqual(['t', '0/2', 0, 0]);
  expect(res.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 't' } });
});

test('YAML in and out', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n';
  const made = await api.call('POST', '/api/v1/namespaces/default/configmaps', yaml, { 'content-type': 'application/yaml' });
  expect(made.status).toBe(201);
  const got = await api.call('GET', '/api/v1/namespaces/default/configmaps/y', undefined, { accept: 'application/yaml' });
  expect(got.headers.get('content-type')).toMatch(/application\/yaml/);
  expect(got.text).toMatch(/^apiVersion: v1\n/);
});

test('OpenAPI v3 discovery declares fieldValidation on each kind’s PATCH, so kubectl validates on the server', async () => {
  const root = (await api.call('GET', '/openapi/v3')).body;
  expect(root.paths['apis/apps/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
  const apps = (await api.call('GET', root.paths['apis/apps/v1'].serverRelativeURL)).body;
  const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
  expect(patch.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'fieldValidation', in: 'query' })]));
  expect((await api.call('GET', '/openapi/v3/apis/nope/v1')).status).toBe(404);
});

test('dryRun=All runs every check and answers what would be stored, without writing', async () => {
  const before = await api.store.revision();
  const made = await api.call('POST', '/apis/apps/v1/namespaces/default/deployments?dryRun=All', deployment('dry'));
  expect(made.status).toBe(201);
  expect(made.body.spec.revisionHistoryLimit).toBe(10);
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments?dryRun=All', { ...deployment('dry'), spec: { replicas: -1 } })).status).toBe(422);
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments?dryRun=Some', deployment('dry'))).status).toBe(400);
  expect(await api.store.revision()).toBe(before);
  expect((await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/dry')).status).toBe(404);
  await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('dry'));
  const rev = await api.store.revision();
  const patched = await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/dry?dryRun=All', { spec: { replicas: 9 } }, { 'content-type': 'application/merge-patch+json' });
  expect(patched.body.spec.replicas).toBe(9);
  expect((await api.call('DELETE', '/apis/apps/v1/namespaces/default/deployments/dry?dryRun=All')).status).toBe(200);
  expect(await api.store.revision()).toBe(rev);
  expect((await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/dry')).body.spec.replicas).toBe(2);
});
