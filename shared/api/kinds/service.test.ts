import type { KubeObject } from '../types';
import { services } from './service';
import { clone, create, show, update } from './testing';

function service(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', ...meta }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } };
}

function defaulted(spec: Record<string, unknown> = {}): KubeObject {
  const s = service(spec);
  services.defaults(s);
  return s;
}

describe('Service defaults', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'ClusterIP',
      {},
      { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] },
    ],
    ['NodePort', { type: 'NodePort' }, { externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' }],
    ['LoadBalancer', { type: 'LoadBalancer' }, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true }],
    ['ClientIP affinity', { sessionAffinity: 'ClientIP' }, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }],
    ['ClientIP keeps its timeout', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }],
    ['named targetPort', { ports: [{ port: 80, targetPort: 'http', protocol: 'UDP' }] }, { ports: [{ port: 80, targetPort: 'http', protocol: 'UDP' }] }],
    ['clusterIPs from clusterIP', { clusterIP: '10.96.0.50' }, { clusterIPs: ['10.96.0.50'] }],
    ['headless with selector', { clusterIP: 'None' }, { clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] }],
    ['headless without selector', { clusterIP: 'None', selector: undefined }, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }],
  ])('%s', (_name, spec, want) => expect(defaulted(spec).spec).toMatchObject(want));

  it('leaves ExternalName without families or traffic policies', () => {
    const s = defaulted({ type: 'ExternalName', externalName: 'example.com', selector: undefined, ports: undefined });
    expect(s.spec).toEqual({ type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
  });

  it('drops sessionAffinityConfig for None and is idempotent', () => {
    const s = defaulted({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } });
    expect(s.spec.sessionAffinityConfig).toBeUndefined();
    const once = clone(s);
    services.defaults(s);
    expect(s).toEqual(once);
  });
});

describe('Service validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['valid', {}, []],
    ['no ports', { ports: [] }, ['spec.ports: Required value']],
    ['headless needs no ports', { clusterIP: 'None', ports: [] }, []],
    ['bad port', { ports: [{ port: 70000 }] }, ['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['unnamed ports', { ports: [{ port: 80 }, { port: 443 }] }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    [
      'duplicate port',
      { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] },
      ['spec.ports[1].name: Duplicate value: "a"', 'spec.ports[1]: Duplicate value: {"name":"","protocol":"TCP","port":80,"targetPort":0,"nodePort":0}'],
    ],
    ['protocol', { ports: [{ port: 80, protocol: 'HTTP' }] }, ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['type', { type: 'Magic' }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['bad clusterIP', { clusterIP: '10.96.0.300' }, ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['clusterIPs mismatch', { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.6'] }, ['spec.clusterIPs: Invalid value: ["10.96.0.6"]: first value must match `clusterIP`']],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None' }, ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
    ['dual stack', { ipFamilyPolicy: 'RequireDualStack' }, ['spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']],
    ['IPv6', { ipFamilies: ['IPv6'] }, ['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']],
    ['affinity', { sessionAffinity: 'Sticky' }, ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']],
    [
      'affinity timeout',
      { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } },
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400'],
    ],
    ['external policy on ClusterIP', { externalTrafficPolicy: 'Local' }, ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']],
    ['external policy', { type: 'NodePort', externalTrafficPolicy: 'Near' }, ['spec.externalTrafficPolicy: Unsupported value: "Near": supported values: "Cluster", "Local"']],
    ['internal policy', { internalTrafficPolicy: 'Near' }, ['spec.internalTrafficPolicy: Unsupported value: "Near": supported values: "Cluster", "Local"']],
    ['local policies', { type: 'NodePort', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' }, []],
    ['healthCheckNodePort', { type: 'NodePort', healthCheckNodePort: 30000 }, ["spec.healthCheckNodePort: Invalid value: 30000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"]],
    ['ExternalName', { type: 'ExternalName', externalName: 'db.example.com.', selector: undefined }, []],
    ['ExternalName without name', { type: 'ExternalName' }, ['spec.externalName: Required value']],
    ['ExternalName with clusterIP', { type: 'ExternalName', externalName: 'x', clusterIP: '10.96.0.5' }, ['spec.clusterIPs: Forbidden: may not be set for ExternalName services']],
    ['allocateLoadBalancerNodePorts', { allocateLoadBalancerNodePorts: false }, ["spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"]],
    ['selector', { selector: { app: 'a b' } }, [expect.stringMatching(/^spec.selector: Invalid value: "a b": a valid label must be/)]],
  ])('%s', (_name, spec, want) => {
    const s = defaulted(spec);
    expect(show(services.validate(s))).toEqual(want);
  });

  it('wants DNS-1035 names', () => {
    expect(create(services, service({}, { name: '1web' }))).toMatch(/^Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of/);
  });

  it('keeps the ClusterIP and healthCheckNodePort once set', () => {
    const old = defaulted({ clusterIP: '10.96.0.5', type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 });
    const next = clone(old);
    next.spec.clusterIP = '10.96.0.6';
    next.spec.clusterIPs = ['10.96.0.6'];
    next.spec.healthCheckNodePort = 31001;
    expect(update(services, next, old)).toBe(
      'Service "web" is invalid: [spec.clusterIPs[0]: Invalid value: ["10.96.0.6"]: may not change once set, spec.healthCheckNodePort: Forbidden: field is immutable]',
    );
    const toExternal = clone(old);
    toExternal.spec = { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' };
    expect(update(services, toExternal, old)).toBe('OK');
  });
});

describe('Service table', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const meta = { creationTimestamp: '2024-05-01T11:58:00Z' };
  it.each<[string, KubeObject, unknown[]]>([
    ['ClusterIP', { ...defaulted({ clusterIP: '10.96.12.7' }), metadata: { name: 'web', ...meta } }, ['web', 'ClusterIP', '10.96.12.7', '<none>', '80/TCP', '2m', 'app=web']],
    [
      'NodePort',
      { ...defaulted({ type: 'NodePort', clusterIP: '10.96.0.9', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 53, protocol: 'UDP', nodePort: 30053 }] }), metadata: { name: 'np', ...meta } },
      ['np', 'NodePort', '10.96.0.9', '<none>', '80:30080/TCP,53:30053/UDP', '2m', 'app=web'],
    ],
    ['LoadBalancer pending', { ...defaulted({ type: 'LoadBalancer', clusterIP: '10.96.0.9' }), metadata: { name: 'lb', ...meta } }, ['lb', 'LoadBalancer', '10.96.0.9', '<pending>', '80/TCP', '2m', 'app=web']],
    [
      'LoadBalancer with ingress',
      { ...defaulted({ type: 'LoadBalancer', clusterIP: '10.96.0.9', externalIPs: ['1.2.3.4'] }), status: { loadBalancer: { ingress: [{ ip: '172.20.64.2' }] } }, metadata: { name: 'lb', ...meta } },
      ['lb', 'LoadBalancer', '10.96.0.9', '172.20.64.2,1.2.3.4', '80/TCP', '2m', 'app=web'],
    ],
    ['ExternalName', { ...defaulted({ type: 'ExternalName', externalName: 'db.example.com', selector: undefined, ports: undefined }), metadata: { name: 'db', ...meta } }, ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '2m', '<none>']],
    ['headless', { ...defaulted({ clusterIP: 'None' }), metadata: { name: 'h', ...meta } }, ['h', 'ClusterIP', 'None', '<none>', '80/TCP', '2m', 'app=web']],
  ])('%s', (_name, obj, want) => expect(services.row(obj, now)).toEqual(want));

  it('has kubectl get svc columns', () => {
    expect(services.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Type', 0],
      ['Cluster-IP', 0],
      ['External-IP', 0],
      ['Port(s)', 0],
      ['Age', 0],
      ['Selector', 1],
    ]);
  });
});
