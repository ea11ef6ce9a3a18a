import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../api/types';
import type { StoreKeys } from './keys';

/**
 * Serializes an object for the write scripts: the JSON split around its resourceVersion
 * value, which only the script knows (it is the revision the script takes).
 */
export function splitAtResourceVersion(obj: KubeObject): [string, string] {
  const sentinel = `kubeq-rv-${randomBytes(12).toString('hex')}`;
  const withSentinel = { ...obj, metadata: { ...obj.metadata, resourceVersion: sentinel } };
  const parts = JSON.stringify(withSentinel).split(`"${sentinel}"`);
  if (parts.length !== 2) throw new Error('resourceVersion sentinel appeared more than once');
  return [parts[0], parts[1]];
}

/** The serialized size the store will keep, for the object size limit. */
export function serializedSize(obj: KubeObject): number {
  return Buffer.byteLength(JSON.stringify(obj));
}

/** The index sorted sets an object belongs to: all of its resource, its namespace, its node (pods), its owners. */
export function indexKeys(keys: StoreKeys, resource: string, obj: KubeObject): string[] {
  const out = [keys.all(resource)];
  const ns = obj.metadata.namespace;
  if (ns) out.push(keys.namespace(resource, ns));
  if (resource === 'pods' && typeof obj.spec?.nodeName === 'string' && obj.spec.nodeName !== '') out.push(keys.podsOnNode(obj.spec.nodeName));
  for (const ref of obj.metadata.ownerReferences ?? []) {
    if (ref && typeof ref.uid === 'string' && ref.uid !== '') out.push(keys.owner(ref.uid));
  }
  return [...new Set(out)];
}

/** Index changes of an update: the sets to leave and the sets to join. */
export function indexDelta(before: string[], after: string[]): { leave: string[]; join: string[] } {
  const a = new Set(after);
  const b = new Set(before);
  return { leave: before.filter((k) => !a.has(k)), join: after.filter((k) => !b.has(k)) };
}
