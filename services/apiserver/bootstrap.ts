/** Objects the apiserver keeps in place at start-up, as kube-apiserver's bootstrap controller does. */
import ipaddr from 'ipaddr.js';
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import type { ServiceNetwork } from '../../shared/net/service-network';
import type { Store } from '../../shared/store/store';

/** The `default/kubernetes` Service: the service CIDR's first address, port 443 → the API port, no selector (its endpoints are written here). */
export function kubernetesService(net: ServiceNetwork, apiPort: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: net.apiServerIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }], sessionAffinity: 'None' },
  };
}

/**
 * The Endpoints and EndpointSlice of `default/kubernetes`, as the apiserver's endpoint reconciler
 * writes them (the endpoints worker leaves Services without a selector alone): this apiserver's
 * address and port. A bind-all host (`0.0.0.0`, `::`) or a name publishes 127.0.0.1.
 */
export function kubernetesEndpoints(apiHost: string, apiPort: number): KubeObject[] {
  const ip = ipaddr.IPv4.isValidFourPartDecimal(apiHost) && apiHost !== '0.0.0.0' ? apiHost : '127.0.0.1';
  const port = { name: 'https', port: apiPort, protocol: 'TCP' };
  const meta = { name: 'kubernetes', namespace: 'default' };
  return [
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...meta, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip }], ports: [port] }] },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { ...meta, labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [port],
    },
  ];
}

async function createIfMissing(store: Store, resource: string, obj: KubeObject): Promise<void> {
  if (await store.get(resource, obj.metadata.namespace, obj.metadata.name ?? '')) return;
  try {
    await store.create(resource, obj);
  } catch (err) {
    if (!isStatusError(err, 409)) throw err;
  }
}

/** Creates `default/kubernetes` and its endpoints when missing (a concurrent apiserver creating them too is fine). */
export async function ensureKubernetesService(store: Store, net: ServiceNetwork, apiPort: number, apiHost = '127.0.0.1'): Promise<void> {
  await createIfMissing(store, 'services', kubernetesService(net, apiPort));
  const [endpoints, slice] = kubernetesEndpoints(apiHost, apiPort);
  await createIfMissing(store, 'endpoints', endpoints);
  await createIfMissing(store, 'endpointslices', slice);
}
