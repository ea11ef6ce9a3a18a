/**
 * reconcile(`services/<ns>/<name>`): bring the Service's EndpointSlices (slices.ts) and v1
 * Endpoints (endpoints.ts) in line with the pods it selects. Pods and nodes come from the
 * cache; the slices and Endpoints from the store (so a slice this worker just created is never
 * created twice), and every write is conditional on what was read — a conflict retries.
 */
import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';
import type { Store } from '../../shared/store/store';
import { desiredEndpoints } from './endpoints';
import { selects } from './handler';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, planSlices } from './slices';

const ignoreNotFound = (err: unknown) => {
  if (!isStatusError(err, 404)) throw err;
};

async function managedSlices(store: Store, ns: string, name: string): Promise<KubeObject[]> {
  return (await store.list('endpointslices', { namespace: ns, labelSelector: `${LABEL_SERVICE_NAME}=${name},${LABEL_MANAGED_BY}=${CONTROLLER_NAME}` })).items;
}

async function removeAll(store: Store, ns: string, name: string): Promise<void> {
  for (const slice of await managedSlices(store, ns, name)) {
    await store.delete('endpointslices', ns, slice.metadata.name!, { preconditions: { uid: slice.metadata.uid } }).catch(ignoreNotFound);
  }
  await store.delete('endpoints', ns, name).catch(ignoreNotFound);
}

export async function reconcileService(key: ObjectKey, cache: Indexer, store: Store): Promise<void> {
  const { namespace, name } = parseObjectKey(key);
  const ns = namespace!;
  const service = await store.get('services', ns, name);
  // A Service gone: its slices go with it (owner references); its Endpoints are ours to delete.
  if (!service) return void (await store.delete('endpoints', ns, name).catch(ignoreNotFound));
  if (service.spec?.type === 'ExternalName') return removeAll(store, ns, name);
  // Without a selector the endpoints are the user's (upstream leaves them alone).
  if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) return;

  const pods = cache.byIndex(NAMESPACE_INDEX, ns, 'pods').filter((p) => selects(service, p.metadata.labels));
  const plan = planSlices(service, pods, (node) => cache.get(`nodes/${node}`), await managedSlices(store, ns, name));
  for (const slice of plan.remove) await store.delete('endpointslices', ns, slice.metadata.name!, { preconditions: { uid: slice.metadata.uid, resourceVersion: slice.metadata.resourceVersion } }).catch(ignoreNotFound);
  for (const slice of plan.update) await store.update('endpointslices', slice);
  for (const slice of plan.create) await store.create('endpointslices', slice);

  const wanted = desiredEndpoints(service, pods);
  const current = await store.get('endpoints', ns, name);
  if (!current) await store.create('endpoints', wanted);
  else if (JSON.stringify([current.metadata.labels ?? {}, current.metadata.annotations ?? {}, current.subsets ?? []]) !== JSON.stringify([wanted.metadata.labels, wanted.metadata.annotations ?? {}, wanted.subsets])) {
    await store.update('endpoints', { ...current, metadata: { ...current.metadata, labels: wanted.metadata.labels, annotations: wanted.metadata.annotations }, subsets: wanted.subsets });
  }
}
