import type { KubeObject } from '../../shared/api/types';
import type { InformerEvent } from '../../shared/informer/events';
import { Cache } from '../../shared/informer/indexer';
import { endpointsKeys } from './handler';

const svc = (name: string, selector?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ...(selector ? { selector } : {}), ports: [{ port: 80 }] } });
const pod = (labels: Record<string, string>, status: object = { phase: 'Running', podIP: '10.244.0.2' }): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels }, spec: { nodeName: 'n1', containers: [] }, status });
const event = (type: InformerEvent['type'], object: KubeObject, oldObject?: KubeObject): InformerEvent => ({
  type,
  resource: object.kind === 'Pod' ? 'pods' : object.kind === 'EndpointSlice' ? 'endpointslices' : 'services',
  key: `x/default/${object.metadata.name}`,
  object,
  ...(oldObject ? { oldObject } : {}),
  revision: 1,
  traceparent: '',
  origin: 'watch',
});

const cache = new Cache();
cache.set('services/default/web', svc('web', { app: 'web' }));
cache.set('services/default/api', svc('api', { app: 'api' }));
cache.set('services/default/manual', svc('manual'));
const keys = endpointsKeys(() => cache);

test.each([
  ['a new pod: the services selecting it', event('ADDED', pod({ app: 'web' })), ['services/default/web']],
  ['a relabelled pod: the services before and after', event('MODIFIED', pod({ app: 'api' }), pod({ app: 'web' })), ['services/default/api', 'services/default/web']],
  ['a pod becoming ready', event('MODIFIED', pod({ app: 'web' }, { phase: 'Running', podIP: '10.244.0.2', conditions: [{ type: 'Ready', status: 'True' }] }), pod({ app: 'web' })), ['services/default/web']],
  ['a status change an endpoint does not show', event('MODIFIED', pod({ app: 'web' }, { phase: 'Running', podIP: '10.244.0.2', hostIP: '172.20.32.10' }), pod({ app: 'web' })), []],
  ['a service without a selector selects nothing', event('ADDED', pod({})), []],
  [
    'a slice its service',
    event('DELETED', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } } }),
    ['services/default/web'],
  ],
] as [string, InformerEvent, string[]][])('%s', (_name, e, want) => {
  expect(keys(e) ?? []).toEqual(want);
});
