import { categorizeEndpoints } from './policy';
import { buildServicePorts } from './serviceports';
import type { EndpointSliceEndpoint, Service } from './types';

const node = { name: 'node-a', ip: '172.20.32.2' };
const ep = (ip: string, nodeName: string, conditions: EndpointSliceEndpoint['conditions'] = {}): EndpointSliceEndpoint => ({ addresses: [ip], nodeName, conditions });
const READY = { ready: true, serving: true, terminating: false };
const TERMINATING = { ready: false, serving: true, terminating: true };
const GONE = { ready: false, serving: false, terminating: true };

function categorize(spec: Partial<Service['spec']>, endpoints: EndpointSliceEndpoint[]) {
  const svc: Service = { metadata: { namespace: 'ns', name: 's' }, spec: { clusterIP: '10.96.0.9', ports: [{ name: 'p', port: 80, nodePort: spec.type === 'NodePort' ? 30001 : undefined }], ...spec } };
  const slice = { metadata: { namespace: 'ns', name: 's-1', labels: { 'kubernetes.io/service-name': 's' } }, ports: [{ name: 'p', port: 8080 }], endpoints };
  const c = categorizeEndpoints(buildServicePorts([svc], [slice], node)[0]);
  const ips = (list: { ip: string }[]) => list.map((e) => e.ip);
  return { cluster: ips(c.cluster), local: ips(c.local), reachable: ips(c.reachable), hasAny: c.hasAny };
}

describe('categorizeEndpoints (upstream CategorizeEndpoints without topology)', () => {
  it.each<[string, Partial<Service['spec']>, EndpointSliceEndpoint[], ReturnType<typeof categorize>]>([
    ['Cluster policy uses every ready endpoint', {}, [ep('10.244.1.1', 'node-a', READY), ep('10.244.2.1', 'node-b', READY), ep('10.244.2.2', 'node-b', { ready: false })],
      { cluster: ['10.244.1.1', '10.244.2.1'], local: [], reachable: ['10.244.1.1', '10.244.2.1'], hasAny: true }],
    ['serving terminating endpoints only when none is ready', {}, [ep('10.244.1.1', 'node-a', TERMINATING), ep('10.244.2.1', 'node-b', GONE)],
      { cluster: ['10.244.1.1'], local: [], reachable: ['10.244.1.1'], hasAny: true }],
    ['internalTrafficPolicy Local keeps this node\'s endpoints', { internalTrafficPolicy: 'Local' }, [ep('10.244.1.1', 'node-a', READY), ep('10.244.2.1', 'node-b', READY)],
      { cluster: [], local: ['10.244.1.1'], reachable: ['10.244.1.1'], hasAny: true }],
    ['Local policy with no local endpoint still knows the service has endpoints', { internalTrafficPolicy: 'Local' }, [ep('10.244.2.1', 'node-b', READY)],
      { cluster: [], local: [], reachable: [], hasAny: true }],
    ['externalTrafficPolicy Local on a NodePort: cluster for internal, local for external', { type: 'NodePort', externalTrafficPolicy: 'Local' },
      [ep('10.244.1.1', 'node-a', READY), ep('10.244.2.1', 'node-b', READY)],
      { cluster: ['10.244.1.1', '10.244.2.1'], local: ['10.244.1.1'], reachable: ['10.244.1.1', '10.244.2.1'], hasAny: true }],
    ['externalTrafficPolicy Local is ignored on a ClusterIP service', { externalTrafficPolicy: 'Local' }, [ep('10.244.2.1', 'node-b', READY)],
      { cluster: ['10.244.2.1'], local: [], reachable: ['10.244.2.1'], hasAny: true }],
    ['no endpoints at all', {}, [], { cluster: [], local: [], reachable: [], hasAny: false }],
  ])('%s', (_name, spec, endpoints, expected) => {
    expect(categorize(spec, endpoints)).toEqual(expected);
  });
});
