import type { KubeObject, ObjectKey } from '../../shared/api/types';
import { objectKey } from '../../shared/api/types';
import type { InformerEvent } from '../../shared/informer/events';
import type { Informer } from '../../shared/informer/informer';
import type { Store } from '../../shared/store/store';
import { waitFor } from '../queue/util';

export interface Recorder {
  triggers: { key: ObjectKey; traceparent: string }[];
  enqueue: (triggers: { key: ObjectKey; traceparent: string }[]) => Promise<void>;
}

export function recorder(): Recorder {
  const triggers: Recorder['triggers'] = [];
  return { triggers, enqueue: async (t) => void triggers.push(...t) };
}

/** A handler that enqueues `<origin> <type> <key>`, so tests can see why a key came. */
export const describeEvent = (e: InformerEvent): string[] => [`${e.origin} ${e.type} ${e.key}`];

export async function storeContents(store: Store, resources: string[]): Promise<Map<ObjectKey, KubeObject>> {
  const all = new Map<ObjectKey, KubeObject>();
  for (const resource of resources) {
    for (const o of (await store.list(resource)).items) all.set(objectKey(resource, o.metadata.namespace, o.metadata.name!), o);
  }
  return all;
}

export function cacheContents(informer: Informer): Map<ObjectKey, KubeObject> {
  return new Map(informer.indexer.listKeys().map((k) => [k, informer.indexer.get(k)!]));
}

/** Waits until the informer has taken every revision the store has written. */
export async function caughtUp(informer: Informer, store: Store, timeoutMs = 10_000): Promise<void> {
  const target = await store.revision();
  await waitFor(() => informer.lastSyncResourceVersion() >= target, `the informer to reach revision ${target}`, timeoutMs);
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];

/** `count` random creates, updates, binds and deletes of configmaps and pods, `parallel` at a time; failures (404, 409) are part of the game. */
export async function randomWrites(store: Store, count: number, parallel = 8): Promise<void> {
  const names = Array.from({ length: 12 }, (_, i) => `o${i}`);
  const nodes = ['n1', 'n2', 'n3'];
  const one = async (): Promise<unknown> => {
    const name = pick(names);
    switch (Math.floor(Math.random() * 6)) {
      case 0:
        return store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: pick(['a', 'b']) }, data: { v: String(Math.random()) } });
      case 1:
        return store.guaranteedUpdate('configmaps', pick(['a', 'b']), name, (o) => ({ ...o, data: { v: String(Math.random()) } }));
      case 2:
        return store.delete('configmaps', pick(['a', 'b']), name);
      case 3:
        return store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' }, spec: { containers: [], nodeName: Math.random() < 0.5 ? pick(nodes) : undefined } });
      case 4:
        return store.guaranteedUpdate('pods', 'a', name, (o) => ({ ...o, spec: { ...o.spec, nodeName: pick(nodes) } }));
      default:
        return store.delete('pods', 'a', name, { gracePeriodSeconds: 0 });
    }
  };
  let left = count;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (left-- > 0) await one().catch((err: { code?: number }) => expect([404, 409]).toContain(err.code));
    }),
  );
}
