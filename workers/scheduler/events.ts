/**
 * The scheduler's event handler (STYLE rule 3: events only turn into keys). Upstream's
 * scheduling queue moves unschedulable pods back when the cluster changes in a way that may
 * help; here that is: enqueue a pending pod when it appears or its spec/labels change, and
 * every pending pod when a node appears or changes what scheduling reads (labels, taints,
 * unschedulable, allocatable, images) or a bound pod goes away (deleted or finished).
 * Status-only pod updates (the scheduler's own PodScheduled=False) and node heartbeats
 * enqueue nothing; the pod's own requeueAfter retries it.
 */
import type { KubeObject, ObjectKey } from '../../shared/api/types';
import type { InformerEvent, KeyMapper } from '../../shared/informer/events';
import type { Indexer } from '../../shared/informer/indexer';
import { occupiesNode } from '../../shared/scheduling/framework/node-info';
import { needsScheduling } from './schedule';

/** The parts of a node scheduling reads. */
function nodeSchedulingView(node: KubeObject): string {
  return JSON.stringify([node.metadata.labels ?? {}, node.spec?.taints ?? [], !!node.spec?.unschedulable, node.status?.allocatable ?? {}, node.status?.images ?? []]);
}

function podSchedulingView(pod: KubeObject): string {
  return JSON.stringify([pod.metadata.labels ?? {}, pod.spec ?? {}, pod.metadata.deletionTimestamp ?? null]);
}

function pendingPods(cache: Indexer): ObjectKey[] {
  return cache
    .list('pods')
    .filter(needsScheduling)
    .map((p) => `pods/${p.metadata.namespace}/${p.metadata.name}`);
}

function onPod(event: InformerEvent, cache: Indexer): ObjectKey[] {
  const { type, object, oldObject } = event;
  if (type === 'DELETED') return occupiesNode(object) ? pendingPods(cache) : [];
  if (oldObject && occupiesNode(oldObject) && !occupiesNode(object)) return pendingPods(cache);
  if (!needsScheduling(object)) return [];
  if (type === 'MODIFIED' && oldObject && podSchedulingView(oldObject) === podSchedulingView(object)) return [];
  return [event.key];
}

function onNode(event: InformerEvent, cache: Indexer): ObjectKey[] {
  if (event.type === 'DELETED') return [];
  if (event.type === 'MODIFIED' && event.oldObject && nodeSchedulingView(event.oldObject) === nodeSchedulingView(event.object)) return [];
  return pendingPods(cache);
}

/** A KeyMapper over pods and nodes that reads the informer cache for the pending pods. */
export function schedulerKeys(cache: Indexer): KeyMapper {
  return (event) => {
    if (event.resource === 'pods') return onPod(event, cache);
    if (event.resource === 'nodes') return onNode(event, cache);
    return [];
  };
}
