import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/** kubectl → apiserver → change log → controller-manager (replicaset + garbage collector), all real processes. */
const run = promisify(execFile);
const PREFIX = '{e2e-rs}';
let redis: TestRedis;
let api: ApiServerProcess;
let cm: RoleProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  cm = startRole('workers/controller-manager/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX });
  await cm.waitFor(/controller-manager: ready/);
}, 60_000);
afterAll(async () => {
  await cm?.stop();
  await api?.stop();
  await redis?.stop();
});

const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', api.kubeconfig, ...args], { timeout: 30_000 })).stdout;


const pods = async () => (await api.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items as any[];

test('a ReplicaSet keeps its pods; deleting it collects them', async () => {
  const file = join(api.home, 'rs.yaml');
  writeFileSync(
    file,
    `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`,
  );
  expect(await kubectl('apply', '-f', file)).toContain('replicaset.apps/web created');
  await eventually(async () => (await pods()).length === 3, '3 pods', 20_000);
  const rs = (await api.call('GET', '/apis/apps/v1/namespaces/default/replicasets/web')).body;
  for (const pod of await pods()) {
    expect(pod.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  await eventually(async () => (await api.call('GET', '/apis/apps/v1/namespaces/default/replicasets/web')).body.status?.replicas === 3, 'status.replicas 3', 20_000);
  expect(await kubectl('get', 'rs', 'web')).toMatch(/^web\s+3\s+3\s+0\s+\d+s$/m);
  expect(await kubectl('get', 'events', '--field-selector', 'reason=SuccessfulCreate')).toMatch(/Created pod: web-/);

  await kubectl('scale', 'rs/web', '--replicas=1');
  await eventually(async () => (await pods()).length === 1, '1 pod after scaling down', 20_000);

  expect(await kubectl('delete', 'rs', 'web')).toContain('replicaset.apps "web" deleted');
  await eventually(async () => (await pods()).length === 0, 'the garbage collector to delete the pods', 20_000);
}, 60_000);
