import { isStatusError } from '../../shared/api/status';
import { nodeTaints, type Taint } from '../../shared/api/taints';
import { objectKey, parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import type { Indexer } from '../../shared/informer/indexer';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { timestamp } from './deployment-status';
import { conditionOf, silentAfter, unknownConditions, type HealthPeriods } from './nodelifecycle-health';
import { markPodsNotReady } from './nodelifecycle-pods';
import { noExecuteTaints, noScheduleTaints, withOwnedTaints, type EvictionVerdict } from './nodelifecycle-taints';
import { DEFAULT_DISRUPTION, evictionVerdict, readinessByZone, zoneKey, type DisruptionOptions } from './nodelifecycle-zones';

/** Where the kubelets' heartbeat Leases live (one per node, named after it). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream's --node-monitor-grace-period default since 1.32 (kubernetes/kubernetes#126287; 40 s before). */
export const NODE_MONITOR_GRACE_PERIOD_SECONDS = 50;
/** Upstream's --node-startup-grace-period default. */
export const NODE_STARTUP_GRACE_PERIOD_SECONDS = 60;
/** Upstream's --node-monitor-period default. */
export const NODE_MONITOR_PERIOD_SECONDS = 5;

export interface NodeLifecycleOptions extends Partial<DisruptionOptions> {
  store: Store;
  clock: Clock;
  /** Where NodeNotReady Events go (on the node, and on each pod marked not ready). Default none. */
  recorder?: EventRecorder;
  /** --node-monitor-grace-period in seconds. Default 50. */
  gracePeriodSeconds?: number;
  /** --node-startup-grace-period in seconds, for a node that never posted a Ready condition. Default 60. */
  startupGracePeriodSeconds?: number;
  /** --node-monitor-period in seconds: how often a node that is not Ready is looked at again. Default 5. */
  monitorPeriodSeconds?: number;
}

/** What the node lifecycle reconcile needs, defaults filled: built once per controller (`nodeLifecycle(...)`). */
export interface NodeLifecycle extends DisruptionOptions {
  store: Store;
  clock: Clock;
  recorder: EventRecorder;
  gracePeriodSeconds: number;
  startupGracePeriodSeconds: number;
  monitorPeriodSeconds: number;
}

export function nodeLifecycle(opts: NodeLifecycleOptions): NodeLifecycle {
  return {
    store: opts.store,
    clock: opts.clock,
    recorder: opts.recorder ?? noEvents,
    gracePeriodSeconds: opts.gracePeriodSeconds ?? NODE_MONITOR_GRACE_PERIOD_SECONDS,
    startupGracePeriodSeconds: opts.startupGracePeriodSeconds ?? NODE_STARTUP_GRACE_PERIOD_SECONDS,
    monitorPeriodSeconds: opts.monitorPeriodSeconds ?? NODE_MONITOR_PERIOD_SECONDS,
    unhealthyZoneThreshold: opts.unhealthyZoneThreshold ?? DEFAULT_DISRUPTION.unhealthyZoneThreshold,
    largeClusterThreshold: opts.largeClusterThreshold ?? DEFAULT_DISRUPTION.largeClusterThreshold,
  };
}

const leaseOf = (cache: Indexer, node: string) => cache.get(objectKey('leases', NODE_LEASE_NAMESPACE, node));

function periodsOf(nl: NodeLifecycle): HealthPeriods {
  return { gracePeriodMs: nl.clock.scaled(nl.gracePeriodSeconds * 1000), startupGracePeriodMs: nl.clock.scaled(nl.startupGracePeriodSeconds * 1000) };
}

/**
 * The node lifecycle controller for one node (upstream's monitorNodeHealth for it, reading the
 * informer's cache of nodes and kube-node-lease Leases):
 *
 * - silent past its grace (no Lease renewal, no status heartbeat): its Ready, MemoryPressure,
 *   DiskPressure and PIDPressure conditions become Unknown (`NodeStatusUnknown`, "Kubelet stopped
 *   posting node status."), with a `NodeNotReady` Event when it was Ready;
 * - Ready Unknown: its pods' Ready conditions become False (upstream's MarkPodsNotReady);
 * - taints: NoSchedule ones follow the conditions and `spec.unschedulable`; the NoExecute
 *   not-ready / unreachable one follows Ready, as the zone's disruption state allows; all go once
 *   the kubelet posts Ready=True again.
 *
 * Comes back when the node would turn silent, or every monitor period while Ready is False or Unknown.
 * Store errors other than 404 throw (backoff).
 */
export async function reconcileNodeLifecycle(key: ObjectKey, nl: NodeLifecycle, cache: Indexer): Promise<ReconcileResult | void> {
  const { name } = parseObjectKey(key);
  let node = await nl.store.get('nodes', undefined, name);
  const now = nl.clock.now();
  const periods = periodsOf(nl);
  if (node && now.getTime() > silentAfter(node, leaseOf(cache, name), periods)) node = await markUnknown(nl, node, leaseOf(cache, name), now);
  if (!node) return;
  const ready = conditionOf(node, 'Ready')?.status;
  if (ready === 'Unknown') await markPodsNotReady(nl.store, nl.recorder, name, now);
  const verdict: EvictionVerdict = ready === 'True' || ready === undefined ? 'taint' : verdictFor(nl, cache, node, now.getTime());
  const wanted = [...noScheduleTaints(node), ...noExecuteTaints(ready, nodeTaints(node), verdict)];
  if (!(await setOwnedTaints(nl, node, wanted, now))) return;
  if (ready === 'False' || ready === 'Unknown') return { requeueAfter: nl.clock.scaled(nl.monitorPeriodSeconds * 1000) };
  return { requeueAfter: Math.max(1, silentAfter(node, leaseOf(cache, name), periods) - now.getTime() + 1) };
}

/** Writes the Unknown conditions over the stored node (same uid, still silent); the written node, or undefined when it is gone. */
async function markUnknown(nl: NodeLifecycle, node: KubeObject, lease: KubeObject | undefined, now: Date): Promise<KubeObject | undefined> {
  let wasReady = false;
  const written = await ignoreNotFound(
    nl.store.guaranteedUpdate('nodes', undefined, node.metadata.name!, (current) => {
      if (current.metadata.uid !== node.metadata.uid || now.getTime() <= silentAfter(current, lease, periodsOf(nl))) return undefined;
      const conditions = unknownConditions(current, timestamp(now));
      if (!conditions) return undefined;
      wasReady = conditionOf(current, 'Ready')?.status === 'True';
      return { ...current, status: { ...current.status, conditions } };
    }, 'status'),
  );
  if (written && wasReady) await nl.recorder.event(written, 'Normal', 'NodeNotReady', `Node ${written.metadata.name} status is now: NodeNotReady`);
  return written;
}

/** The verdict for the node's zone, every cached node counted as Unknown once silent (as its own reconcile will find it). */
function verdictFor(nl: NodeLifecycle, cache: Indexer, node: KubeObject, now: number): EvictionVerdict {
  const periods = periodsOf(nl);
  const others = cache.list('nodes').filter((n) => n.metadata.name !== node.metadata.name);
  const readyOf = (n: KubeObject) => (now > silentAfter(n, leaseOf(cache, n.metadata.name!), periods) ? 'Unknown' : conditionOf(n, 'Ready')?.status);
  return evictionVerdict(readinessByZone([node, ...others], readyOf), zoneKey(node), nl);
}

/** Replaces the owned taints of the stored node (same uid) with `wanted`; false when the node is gone. */
async function setOwnedTaints(nl: NodeLifecycle, node: KubeObject, wanted: Taint[], now: Date): Promise<boolean> {
  if (!withOwnedTaints(node, wanted, timestamp(now))) return true;
  const written = await ignoreNotFound(
    nl.store.guaranteedUpdate('nodes', undefined, node.metadata.name!, (current) => {
      const taints = current.metadata.uid === node.metadata.uid ? withOwnedTaints(current, wanted, timestamp(now)) : undefined;
      if (!taints) return undefined;
      current.spec = { ...current.spec, taints };
      if (taints.length === 0) delete current.spec.taints;
      return current;
    }),
  );
  return written !== undefined;
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isStatusError(err, 404)) return undefined;
    throw err;
  }
}
