import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKubectl } from '../helpers/kubectl';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/** Real kubectl (1.32) against a real apiserver process over a real Redis. */
let redis: TestRedis;
let api: ApiServerProcess;
let controllers: RoleProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, '{kubectl}');
  controllers = startRole('workers/controller-manager/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: '{kubectl}' });
  await controllers.waitFor(/controller-manager: ready/);
}, 60_000);
afterAll(async () => {
  await controllers?.stop();
  await api?.stop();
  await redis?.stop();
});

const kubectl = (...args: string[]) => runKubectl(api.kubeconfig, args);

const manifest = (image: string, extraEnv = '') => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: shop
stringData:
  password: hunter2
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: leader
  namespace: shop
spec:
  holderIdentity: me
  leaseDurationSeconds: 15
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
        env:
        - name: MODE
          value: fast${extraEnv}
`;

test('kubectl apply, get, get -o yaml, apply again (strategic merge patch), scale, delete', async () => {
  const file = join(api.home, 'shop.yaml');
  writeFileSync(file, manifest('nginx:1.27'));
  // kubectl validates by default: it finds fieldValidation in /openapi/v3 and asks the server to be strict
  const applied = await kubectl('apply', '-f', file);
  expect(applied).toContain('namespace/shop created');
  expect(applied).toContain('deployment.apps/web created');
  expect(applied).toContain('lease.coordination.k8s.io/leader created');

  const deploys = await kubectl('get', 'deploy', '-n', 'shop');
  expect(deploys).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
  // no kubelet runs here: the Deployment gets its ReplicaSet and pods, none becomes ready
  expect(deploys).toMatch(/^web\s+0\/2\s+[02]\s+0\s+\d+s$/m);

  const yaml = await kubectl('get', '-o', 'yaml', 'deployment/web', '-n', 'shop');
  expect(yaml).toContain('kubectl.kubernetes.io/last-applied-configuration');
  expect(yaml).toContain('image: nginx:1.27');

  const secret = JSON.parse(await kubectl('get', 'secret', 'creds', '-n', 'shop', '-o', 'json'));
  expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('hunter2');

  writeFileSync(file, manifest('nginx:1.28', '\n        - name: EXTRA\n          value: "1"'));
  const reapplied = await kubectl('apply', '-f', file);
  expect(reapplied).toContain('deployment.apps/web configured');
  expect(reapplied).toContain('configmap/settings unchanged');
  const after = JSON.parse(await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'json'));
  expect(after.spec.template.spec.containers[0].image).toBe('nginx:1.28');
  expect(after.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'fast' }, { name: 'EXTRA', value: '1' }]);
  expect(after.metadata.generation).toBe(2);

  expect(await kubectl('apply', '--dry-run=server', '-f', file)).toContain('deployment.apps/web unchanged (server dry run)');
  expect(await kubectl('scale', 'deploy/web', '-n', 'shop', '--replicas=5')).toContain('deployment.apps/web scaled');
  expect(JSON.parse(await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'json')).spec.replicas).toBe(5);

  expect(await kubectl('get', 'ns')).toMatch(/^shop\s+Active\s+\d+s$/m);
  expect(await kubectl('get', 'cm,secret,lease', '-n', 'shop')).toMatch(/configmap\/settings\s+1\s+/);

  const deleted = await kubectl('delete', 'deployment/web', 'configmap/settings', 'secret/creds', 'lease/leader', '-n', 'shop');
  expect(deleted).toContain('deployment.apps "web" deleted');
  expect(deleted).toContain('configmap "settings" deleted');
  await expect(kubectl('get', 'deploy', 'web', '-n', 'shop')).rejects.toThrow(/deployments.apps "web" not found/);

  // the namespace controller empties a terminating namespace before it goes; kubectl waits for that
  writeFileSync(file, manifest('nginx:1.28'));
  await kubectl('--validate=false', 'apply', '-f', file);
  expect(await kubectl('delete', 'ns', 'shop', '--timeout=30s')).toContain('namespace "shop" deleted');
  await expect(kubectl('get', 'ns', 'shop')).rejects.toThrow(/namespaces "shop" not found/);
  expect(await kubectl('get', 'deploy,cm,secret,lease', '-n', 'shop', '-o', 'name')).toBe('');
}, 120_000);

const others = `apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    kubernetes.io/hostname: node-a
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: default
spec:
  containers:
  - name: app
    image: busybox:1.36
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: rs
  namespace: default
spec:
  replicas: 0
  selector:
    matchLabels: {app: rs}
  template:
    metadata:
      labels: {app: rs}
    spec:
      containers:
      - name: app
        image: busybox:1.36
---
apiVersion: v1
kind: Event
metadata:
  name: solo.1
  namespace: default
involvedObject:
  kind: Pod
  name: solo
  namespace: default
reason: Testing
message: hello from the test
type: Normal
`;

test('kubectl apply, get, get -o yaml and delete Nodes, Pods, ReplicaSets and Events', async () => {
  const file = join(api.home, 'others.yaml');
  writeFileSync(file, others);
  const applied = await kubectl('apply', '-f', file);
  for (const what of ['node/node-a created', 'pod/solo created', 'replicaset.apps/rs created', 'event/solo.1 created']) expect(applied).toContain(what);
  expect(await kubectl('get', 'pods')).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nsolo\s+0\/1\s+Pending\s+0\s+\d+s$/m);
  expect(await kubectl('get', 'rs')).toMatch(/^rs\s+0\s+0\s+0\s+\d+s$/m);
  expect(await kubectl('get', 'nodes')).toMatch(/^node-a\s+/m);
  expect(await kubectl('get', 'events')).toContain('hello from the test');
  const pod = await kubectl('get', 'pod', 'solo', '-o', 'yaml');
  expect(pod).toContain('restartPolicy: Always');
  expect(pod).toContain('terminationGracePeriodSeconds: 30');
  const deleted = await kubectl('delete', '-f', file);
  for (const what of ['node "node-a" deleted', 'pod "solo" deleted', 'replicaset.apps "rs" deleted', 'event "solo.1" deleted']) expect(deleted).toContain(what);
  expect(await kubectl('get', 'pods,rs,events', '-o', 'name')).toBe('');
}, 60_000);

test('kubectl sees Kubernetes errors as Kubernetes prints them', async () => {
  await expect(kubectl('get', 'pod', 'nope')).rejects.toThrow(/Error from server \(NotFound\): pods "nope" not found/);
  await expect(kubectl('delete', 'ns', 'default')).rejects.toThrow(/Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/);
  const bad = join(api.home, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
  await expect(kubectl('--validate=false', 'apply', '-f', bad)).rejects.toThrow(/The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/);
  const unknown = join(api.home, 'unknown.yaml');
  writeFileSync(unknown, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\nbogus: 1\n');
  await expect(kubectl('apply', '-f', unknown)).rejects.toThrow(/ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"/);
  expect(await kubectl('--validate=false', 'apply', '-f', unknown)).toContain('configmap/odd created');
  // Imperative `kubectl create <kind>` sends protobuf; a kind kubeq does not decode it for gets a clear 415.
  await expect(kubectl('create', 'deployment', 'plain', '--image=nginx')).rejects.toThrow(/accepted media types include: application\/json, application\/yaml.*send Deployment as application\/json/);
}, 60_000);
