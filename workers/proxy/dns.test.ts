/**
 * Cluster DNS: the lookup as a table, and the real UDP server asked by real `dig` on the local
 * host (kubeq's own listener; the addresses in the answers are simulated data).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import type { KubeObject } from '../../shared/api/types';
import { lookup, searchNames, type DnsData } from './dns';
import { startDnsServer, type DnsServer } from './dns-server';

const svc = (name: string, spec: object): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const services: Record<string, KubeObject> = {
  web: svc('web', { clusterIP: '10.96.12.34', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  db: svc('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
  ext: svc('ext', { type: 'ExternalName', externalName: 'db.example.com' }),
};
const slice = (endpoints: object[]): KubeObject => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-x', namespace: 'default' }, ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }], endpoints } as KubeObject);
const data: DnsData = {
  service: (ns, name) => (ns === 'default' ? services[name] : undefined),
  slices: (_ns, name) =>
    name === 'db'
      ? [
          slice([
            { addresses: ['10.244.1.5'], conditions: { ready: true }, hostname: 'db-0' },
            { addresses: ['10.244.2.6'], conditions: { ready: true } },
            { addresses: ['10.244.2.7'], conditions: { ready: false } },
          ]),
        ]
      : [],
  namespaceExists: (ns) => ns === 'default' || ns === 'kube-system',
};

const rows = (name: string, type: string) => {
  const a = lookup(data, name, type);
  return [a.rcode, a.answers.map((r) => (typeof r.data === 'string' ? r.data : `${r.data.port} ${r.data.target}`))];
};

test.each([
  ['web.default.svc.cluster.local', 'A', ['NOERROR', ['10.96.12.34']]],
  ['WEB.default.svc.cluster.local.', 'A', ['NOERROR', ['10.96.12.34']]],
  ['web.default.svc.cluster.local', 'AAAA', ['NOERROR', []]],
  ['db.default.svc.cluster.local', 'A', ['NOERROR', ['10.244.1.5', '10.244.2.6']]],
  ['db-0.db.default.svc.cluster.local', 'A', ['NOERROR', ['10.244.1.5']]],
  ['10-244-2-6.db.default.svc.cluster.local', 'A', ['NOERROR', ['10.244.2.6']]],
  ['10-244-2-7.db.default.svc.cluster.local', 'A', ['NXDOMAIN', []]],
  ['_http._tcp.web.default.svc.cluster.local', 'SRV', ['NOERROR', ['80 web.default.svc.cluster.local']]],
  ['_pg._tcp.db.default.svc.cluster.local', 'SRV', ['NOERROR', ['5432 db-0.db.default.svc.cluster.local', '5432 10-244-2-6.db.default.svc.cluster.local']]],
  ['_http._udp.web.default.svc.cluster.local', 'SRV', ['NXDOMAIN', []]],
  ['ext.default.svc.cluster.local', 'A', ['NOERROR', ['db.example.com']]],
  ['10-244-1-5.default.pod.cluster.local', 'A', ['NOERROR', ['10.244.1.5']]],
  ['10-244-1-5.nowhere.pod.cluster.local', 'A', ['NXDOMAIN', []]],
  ['missing.default.svc.cluster.local', 'A', ['NXDOMAIN', []]],
  ['default.svc.cluster.local', 'A', ['NOERROR', []]],
  ['example.com', 'A', ['REFUSED', []]],
] as [string, string, [string, string[]]][])('%s %s', (name, type, want) => {
  expect(rows(name, type)).toEqual(want);
});

test("a pod's search path: <ns>.svc, svc, cluster.local, then the name (ndots:5)", () => {
  expect(searchNames('web', 'default')).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
  expect(searchNames('web.default.svc.cluster.local.', 'x')).toEqual(['web.default.svc.cluster.local']);
  expect(searchNames('a.b.c.d.e.f', 'x')[0]).toBe('a.b.c.d.e.f');
});

describe('the server, asked by dig', () => {
  let server: DnsServer;
  beforeAll(async () => {
    server = await startDnsServer(data, '127.0.0.1', 0);
  });
  afterAll(() => server.close());
  const dig = async (...args: string[]) => (await promisify(execFile)('dig', ['@127.0.0.1', '-p', String(server.port), '+time=2', '+tries=1', ...args])).stdout;

  test('A, headless A, SRV and NXDOMAIN', async () => {
    expect((await dig('+short', 'web.default.svc.cluster.local', 'A')).trim()).toBe('10.96.12.34');
    expect((await dig('+short', 'db.default.svc.cluster.local', 'A')).trim().split('\n').sort()).toEqual(['10.244.1.5', '10.244.2.6']);
    expect((await dig('+short', '_pg._tcp.db.default.svc.cluster.local', 'SRV')).trim().split('\n')).toEqual(['0 100 5432 db-0.db.default.svc.cluster.local.', '0 100 5432 10-244-2-6.db.default.svc.cluster.local.']);
    const missing = await dig('missing.default.svc.cluster.local', 'A');
    expect(missing).toMatch(/status: NXDOMAIN/);
    expect(missing).toMatch(/flags: qr aa rd;/);
    expect(missing).toMatch(/cluster\.local\.\s+5\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\./);
  });

  test('garbage on the port is dropped, and the server keeps answering', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((done) => socket.send(Buffer.from('not dns'), server.port, '127.0.0.1', () => done()));
    socket.close();
    expect((await dig('+short', 'ext.default.svc.cluster.local', 'CNAME')).trim()).toBe('db.example.com.');
  });
});
