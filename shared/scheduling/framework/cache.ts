/**
 * The scheduler's cache (upstream's internal/cache): one NodeInfo per node, kept current from
 * informer events rather than rebuilt from every cached pod in every cycle, plus the pods this
 * scheduler has assumed onto a node while their binding is being written. An assumed pod
 * stays counted until the informer shows it bound (the real object replaces it), deleted, or
 * the binding fails (`forget`); updates of the still-unbound pod leave the assumption alone.
 */
import type { KubeObject, ObjectKey } from '../../api/types';
import type { InformerEvent } from '../../informer/events';
import type { Indexer } from '../../informer/indexer';
import { NodeInfo, occupiesNode } from './node-info';

interface Placed {
  node: string;
  pod: KubeObject;
  assumed: boolean;
}

export class SchedulerCache {
  /** Every node name with a Node object or counted pods; `present` says which have a Node. */
  private readonly infos = new Map<string, NodeInfo>();
  private readonly present = new Set<string>();
  private readonly placed = new Map<ObjectKey, Placed>();
  private ordered?: NodeInfo[];

  /** A cache holding what `indexer` holds now (for one-off cycles and tests). */
  static fromIndexer(indexer: Indexer): SchedulerCache {
    const cache = new SchedulerCache();
    for (const node of indexer.list('nodes')) cache.setNode(node);
    for (const pod of indexer.list('pods')) cache.setPod(`pods/${pod.metadata.namespace}/${pod.metadata.name}`, pod);
    return cache;
  }

  /** Takes an informer event in. Replayed events may be older than the cache and are skipped, as the informer skips them. */
  apply(event: InformerEvent): void {
    if (event.origin === 'replay') return;
    if (event.resource === 'nodes') {
      if (event.type === 'DELETED') this.deleteNode(event.object.metadata.name ?? '');
      else this.setNode(event.object);
    } else if (event.resource === 'pods') {
      if (event.type === 'DELETED') this.removePod(event.key);
      else this.setPod(event.key, event.object);
    }
  }

  /** The nodes scheduling can use, in the order they were first seen. */
  nodeInfos(): NodeInfo[] {
    return (this.ordered ??= [...this.infos.values()].filter((info) => this.present.has(info.name)));
  }

  /** Counts `pod` (bound to its `spec.nodeName`) before the binding is written. */
  assume(key: ObjectKey, pod: KubeObject): void {
    this.removePod(key);
    this.addPod(key, pod, true);
  }

  /** Drops the assumption made with `pod`, if it is still the one counted. */
  forget(key: ObjectKey, pod: KubeObject): void {
    const placed = this.placed.get(key);
    if (placed?.assumed && placed.pod === pod) this.removePod(key);
  }

  /** The pod counted under `key`, assumed or seen bound. */
  counted(key: ObjectKey): KubeObject | undefined {
    return this.placed.get(key)?.pod;
  }

  private info(name: string): NodeInfo {
    let info = this.infos.get(name);
    if (!info) {
      this.infos.set(name, (info = new NodeInfo({ apiVersion: 'v1', kind: 'Node', metadata: { name } })));
      this.ordered = undefined;
    }
    return info;
  }

  private setNode(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    this.info(name).setNode(node);
    if (!this.present.has(name)) {
      this.present.add(name);
      this.ordered = undefined;
    }
  }

  /** A node goes; its NodeInfo stays while pods are counted on it (they may be deleted next). */
  private deleteNode(name: string): void {
    this.present.delete(name);
    if (this.infos.get(name)?.pods.length === 0) this.infos.delete(name);
    this.ordered = undefined;
  }

  private setPod(key: ObjectKey, pod: KubeObject): void {
    const placed = this.placed.get(key);
    // An assumed pod's own updates before the binding lands keep it where it was assumed.
    if (placed?.assumed && !pod.spec?.nodeName && placed.pod.metadata.uid === pod.metadata.uid && !pod.metadata.deletionTimestamp) return;
    this.removePod(key);
    if (occupiesNode(pod)) this.addPod(key, pod, false);
  }

  private addPod(key: ObjectKey, pod: KubeObject, assumed: boolean): void {
    const node = pod.spec.nodeName as string;
    this.info(node).addPod(pod);
    this.placed.set(key, { node, pod, assumed });
  }

  private removePod(key: ObjectKey): void {
    const placed = this.placed.get(key);
    if (!placed) return;
    this.placed.delete(key);
    const info = this.infos.get(placed.node);
    info?.removePod(placed.pod);
    if (info && info.pods.length === 0 && !this.present.has(placed.node)) this.infos.delete(placed.node);
  }
}
