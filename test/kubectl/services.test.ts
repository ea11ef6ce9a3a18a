import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKubectl } from '../helpers/kubectl';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, type ApiServerProcess } from '../helpers/processes';

/** Services through real kubectl (1.32) against a real apiserver process over a real Redis. */
let redis: TestRedis;
let api: ApiServerProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, '{kubectl-svc}', { KUBEQ_SERVICE_CIDR: '10.100.0.0/16' });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const kubectl = (...args: string[]) => runKubectl(api.kubeconfig, args);

/** Output lines split into columns (kubectl pads with two or more spaces). */
const table = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - {name: http, containerPort: 8080}
`;

const services = `apiVersion: v1
kind: Service
metadata:
  name: edge
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, nodePort: 30080}
---
apiVersion: v1
kind: Service
metadata:
  name: lb
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {port: 443, targetPort: 8443}
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: db.example.com
---
apiVersion: v1
kind: Endpoints
metadata:
  name: legacy
subsets:
- addresses: [{ip: 192.168.10.5}, {ip: 192.168.10.6}]
  ports: [{port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-1
  labels: {kubernetes.io/service-name: legacy}
addressType: IPv4
ports: [{name: pg, port: 5432}]
endpoints:
- addresses: [192.168.10.5]
- addresses: [192.168.10.6]
`;

test('kubectl expose, get svc,ep, get endpointslices, apply and delete Services', async () => {
  const file = join(api.home, 'web.yaml');
  writeFileSync(file, deployment);
  await kubectl('apply', '-f', file);
  expect(await kubectl('expose', 'deployment', 'web', '--port', '80', '--target-port', '8080')).toContain('service/web exposed');

  const svc = table(await kubectl('get', 'svc'));
  expect(svc[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  expect(svc.find((r) => r[0] === 'kubernetes')?.slice(1, 5)).toEqual(['ClusterIP', '10.100.0.1', '<none>', '443/TCP']);
  const web = svc.find((r) => r[0] === 'web')!;
  expect(web.slice(1, 5)).toEqual(['ClusterIP', expect.stringMatching(/^10\.100\.\d+\.\d+$/), '<none>', '80/TCP']);
  expect(table(await kubectl('get', 'svc', 'web', '-o', 'wide'))[1][6]).toBe('app=web');
  const yaml = await kubectl('get', 'svc', 'web', '-o', 'jsonpath={.spec.selector.app} {.spec.ports[0].targetPort} {.spec.sessionAffinity} {.spec.ipFamilies[0]}');
  expect(yaml).toBe('web 8080 None IPv4');

  // Only the apiserver's own endpoints: the endpoints worker is not running in this test.
  expect(await kubectl('get', 'svc,ep')).toContain('service/web');
  expect(table(await kubectl('get', 'ep')).map((r) => r.slice(0, 2))).toEqual([['NAME', 'ENDPOINTS'], ['kubernetes', `127.0.0.1:${new URL(api.url).port}`]]);

  const file2 = join(api.home, 'services.yaml');
  writeFileSync(file2, services);
  expect(await kubectl('apply', '-f', file2)).toBe('service/edge created\nservice/lb created\nservice/db created\nendpoints/legacy created\nendpointslice.discovery.k8s.io/legacy-1 created\n');
  const both = table(await kubectl('get', 'svc,ep'));
  expect(both).toContainEqual(['NAME', 'ENDPOINTS', 'AGE']);
  expect(both).toContainEqual(['endpoints/legacy', '192.168.10.5:5432,192.168.10.6:5432', expect.any(String)]);
  expect(table(await kubectl('get', 'ep', 'legacy'))).toEqual([['NAME', 'ENDPOINTS', 'AGE'], ['legacy', '192.168.10.5:5432,192.168.10.6:5432', expect.any(String)]]);
  expect(table(await kubectl('get', 'endpointslices'))).toEqual([
    ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    ['kubernetes', 'IPv4', String(new URL(api.url).port), '127.0.0.1', expect.any(String)],
    ['legacy-1', 'IPv4', '5432', '192.168.10.5,192.168.10.6', expect.any(String)],
  ]);
  const rows = table(await kubectl('get', 'svc', 'edge', 'lb', 'db'));
  expect(rows[1].slice(0, 5)).toEqual(['edge', 'NodePort', expect.stringMatching(/^10\.100\./), '<none>', '80:30080/TCP']);
  expect(rows[2].slice(0, 5)).toEqual(['lb', 'LoadBalancer', expect.stringMatching(/^10\.100\./), '172.20.64.1', expect.stringMatching(/^443:3\d{4}\/TCP$/)]);
  expect(rows[3].slice(0, 5)).toEqual(['db', 'ExternalName', '<none>', 'db.example.com', '<none>']);

  // Applying again with a new type: the NodePort goes back to the pool, the ClusterIP stays.
  const before = await kubectl('get', 'svc', 'edge', '-o', 'jsonpath={.spec.clusterIP}');
  writeFileSync(file2, services.replace('type: NodePort', 'type: ClusterIP').replace(', nodePort: 30080', ''));
  await kubectl('apply', '-f', file2);
  expect(table(await kubectl('get', 'svc', 'edge'))[1].slice(1, 5)).toEqual(['ClusterIP', before, '<none>', '80/TCP']);

  await expect(kubectl('expose', 'deployment', 'web', '--name', 'again', '--port', '81', '--cluster-ip', before)).rejects.toThrow(
    `The Service "again" is invalid: spec.clusterIPs: Invalid value: ["${before}"]: failed to allocate IP ${before}: provided IP is already allocated`,
  );
  expect(await kubectl('delete', 'svc', 'edge', 'lb', 'db', 'web')).toContain('service "web" deleted');
  expect(table(await kubectl('get', 'svc', '--no-headers')).map((r) => r[0])).toEqual(['kubernetes']);
}, 120_000);
