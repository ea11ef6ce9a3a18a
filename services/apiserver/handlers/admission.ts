import { forbidden, notFound } from '../../../shared/api/status';
import type { ResourceInfo } from '../../../shared/api/resource';
import type { Store } from '../../../shared/store/store';

/** The namespaces that always exist and may not be deleted (NamespaceLifecycle admission). */
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
/** Created at start-up when missing, as the apiserver's bootstrap controller does. */
export const SYSTEM_NAMESPACES = [...IMMORTAL_NAMESPACES, 'kube-node-lease'];

/** Refuses creates into namespaces that do not exist (404) or are being terminated (403). */
export async function admitCreate(store: Store, info: ResourceInfo, namespace: string | undefined, name: string): Promise<void> {
  if (!info.namespaced || !namespace) return;
  const ns = await store.get('namespaces', undefined, namespace);
  if (!ns) throw notFound('namespaces', '', namespace);
  if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
    throw forbidden(info.resource, info.group, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

export function admitDelete(info: ResourceInfo, name: string): void {
  if (info.resource === 'namespaces' && IMMORTAL_NAMESPACES.includes(name)) {
    throw forbidden('namespaces', '', name, 'this namespace may not be deleted');
  }
}

export async function ensureSystemNamespaces(store: Store): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    if (await store.get('namespaces', undefined, name)) continue;
    try {
      await store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}
