/**
 * kubectl's imperative `create` commands send protobuf: namespace, configmap, secret, service
 * and pdb bodies are decoded (services/apiserver/protobuf.ts) and stored as `apply -f` would.
 */
import { runKubectl } from '../helpers/kubectl';
import { startApiServer, type ApiServerProcess } from '../helpers/processes';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
let api: ApiServerProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, '{kubectl-create}');
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const kubectl = (...args: string[]) => runKubectl(api.kubeconfig, args);
const get = async (path: string) => (await api.call('GET', path)).body;

test('kubectl create namespace, configmap and secret', async () => {
  expect(await kubectl('create', 'namespace', 'team')).toBe('namespace/team created\n');
  expect((await get('/api/v1/namespaces/team')).status.phase).toBe('Active');
  expect(await kubectl('-n', 'team', 'create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3')).toBe('configmap/settings created\n');
  expect((await get('/api/v1/namespaces/team/configmaps/settings')).data).toEqual({ mode: 'fast', level: '3' });
  expect(await kubectl('-n', 'team', 'create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret')).toBe('secret/creds created\n');
  const secret = await get('/api/v1/namespaces/team/secrets/creds');
  expect(secret.type).toBe('Opaque');
  expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cret');
});

test('kubectl create service clusterip and nodeport: ports, named target ports, selector and type as kubectl sets them', async () => {
  expect(await kubectl('create', 'service', 'clusterip', 'web', '--tcp=80:8080')).toBe('service/web created\n');
  const web = await get('/api/v1/namespaces/default/services/web');
  expect(web.metadata.labels).toEqual({ app: 'web' });
  expect(web.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }] });
  expect(web.spec.clusterIP).toMatch(/^10\.(9[6-9]|1[01][0-9])\./);
  expect(await kubectl('create', 'service', 'nodeport', 'edge', '--tcp=443:https', '--node-port=30443')).toBe('service/edge created\n');
  const edge = await get('/api/v1/namespaces/default/services/edge');
  expect(edge.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 443, targetPort: 'https', nodePort: 30443 }] });
  expect(await kubectl('create', 'service', 'clusterip', 'db', '--clusterip=None')).toBe('service/db created\n');
  expect((await get('/api/v1/namespaces/default/services/db')).spec.clusterIP).toBe('None');
});

test('kubectl create pdb: selector and minAvailable (a number or a percentage)', async () => {
  expect(await kubectl('create', 'pdb', 'web', '--selector=app=web', '--min-available=2')).toBe('poddisruptionbudget.policy/web created\n');
  expect((await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).spec).toMatchObject({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
  expect(await kubectl('create', 'pdb', 'api', '--selector=app=api', '--max-unavailable=25%')).toBe('poddisruptionbudget.policy/api created\n');
  expect((await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/api')).spec).toMatchObject({ maxUnavailable: '25%' });
});
