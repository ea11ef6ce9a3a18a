/**
 * One pass of the cluster autoscaler (upstream's StaticAutoscaler.RunOnce), every scan interval:
 * the cloud's machines and the informer cache in; then housekeeping (groups kept at their
 * minimum, machines that never registered given up, removals whose pods are gone finished), a
 * `ScaleUp` decision for pods the scheduler marked unschedulable, a `ScaleDown` decision over
 * the group nodes, and the status ConfigMap. Each decision is a span with the numbers behind
 * it. State kept between passes (as upstream keeps it in memory): since when each node has been
 * unneeded, the last scale-up, the last failed scale-down, the removals in progress.
 */
import type { Span } from '@opentelemetry/api';
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { Machine, Machines } from '../../shared/cloudprovider/machines';
import type { EventRecorder } from '../../shared/events/recorder';
import type { Indexer } from '../../shared/informer/indexer';
import { NODE_NAME_INDEX } from '../../shared/informer/indexers';
import { pdbStatus } from '../../shared/policy/disruption';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import { buildNodeInfos, NodeInfo } from '../../shared/scheduling/framework/node-info';
import type { ProfilePlugin } from '../../shared/scheduling/framework/plugin';
import type { Random } from '../../shared/scheduling/framework/random';
import type { Store } from '../../shared/store/store';
import { withSpan } from '../../shared/tracing/tracer';
import { executeScaleUp, finishNodeRemoval, startNodeRemoval, type ActuationDeps } from './actuation';
import { PRIORITY_CONFIGMAP } from './expanders';
import { beingDeleted, findUnneeded, isReady, type ScaleDownCandidates } from './scaledown';
import { planScaleUp, scaleUpInfo, type GroupSize } from './scaleup';
import type { AutoscalerSettings } from './settings';
import { filterOutSchedulable, templateNode } from './simulator';
import { writeStatus, type StatusInput } from './status-write';

/** Upstream's initial node group backoff after a failed scale-up (it doubles there, up to 30 min; here it stays). */
export const SCALE_UP_BACKOFF_MS = 300_000;
/** Upstream's --max-graceful-termination-sec: a removal whose pods are still there after this goes ahead anyway. */
export const MAX_GRACEFUL_TERMINATION_MS = 600_000;
const KUBE_SYSTEM = 'kube-system';

export interface AutoscalerDeps extends ActuationDeps {
  settings: AutoscalerSettings;
  random: Random;
  profile: readonly ProfilePlugin[];
  machines: Machines;
  store: Store;
  clock: Clock;
  recorder: EventRecorder;
}

/** Unbound pods the scheduler has given up on for now (PodScheduled=False, Unschedulable). */
export function unschedulablePods(pods: readonly KubeObject[]): KubeObject[] {
  return pods.filter(
    (p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && (p.status?.conditions ?? []).some((c: any) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'),
  );
}

export class Autoscaler {
  private readonly unneededSince = new Map<string, number>();
  private lastScaleUp = -Infinity;
  private lastScaleDownFailure = -Infinity;
  /** Node → when its removal started. */
  private readonly deleting = new Map<string, number>();
  /** Group → until when it is backed off (a machine of it never registered). */
  private readonly backoffUntil = new Map<string, number>();
  private readonly status: StatusInput = { transitions: new Map() };

  constructor(private readonly deps: AutoscalerDeps) {}

  async runOnce(cache: Indexer, span?: Span): Promise<ReconcileResult> {
    const { clock, settings } = this.deps;
    const now = clock.now().getTime();
    let machines = await this.housekeeping(await this.deps.machines.list(), cache, now);
    const byName = new Map(machines.map((m) => [m.name, m]));
    const nodes = cache.list('nodes');
    const registered = new Map(nodes.map((n) => [n.metadata.name!, n]));
    const infos = buildNodeInfos(nodes, cache.list('pods'));
    const sim = { profile: this.deps.profile, lister: cache };
    const sizes: GroupSize[] = settings.nodeGroups.map((group) => ({ group, target: machines.filter((m) => m.group === group.name).length, backoff: (this.backoffUntil.get(group.name) ?? 0) > now }));
    const inProgress = () => machines.some((m) => !registered.has(m.name));
    // The ConfigMap first, so the events about the autoscaler's own actions have it to go on.
    if (!this.status.configMap) await writeStatus(this.status, { settings, machines, nodes, candidates: { unneeded: [], unremovable: [] }, inProgress: inProgress(), now: clock.now() }, this.deps.store);

    const scaledUp = await withSpan('ScaleUp', {}, (s) => this.scaleUp(cache, infos, machines, registered, sizes, sim, s));
    if (scaledUp) machines = await this.deps.machines.list();
    const candidates = await withSpan('ScaleDown', {}, (s) => this.scaleDown(cache, infos, byName, sizes, sim, now, s));
    const backoff = new Set(sizes.filter((g) => g.backoff).map((g) => g.group.name));
    await writeStatus(this.status, { settings, machines, nodes, candidates, inProgress: inProgress(), backoff, now: clock.now() }, this.deps.store);
    span?.setAttributes({ 'kubeq.ca.machines': machines.length, 'kubeq.ca.nodes': nodes.length, 'kubeq.ca.scaled_up': scaledUp, 'kubeq.ca.unneeded': candidates.unneeded.length });
    return { requeueAfter: clock.scaled(settings.scanIntervalMs) };
  }

  /** The cloud's side: groups at least at min, never-registered machines given up, finished removals' machines deleted. */
  private async housekeeping(machines: Machine[], cache: Indexer, now: number): Promise<Machine[]> {
    const { clock, settings } = this.deps;
    let changed = false;
    for (const group of settings.nodeGroups) {
      const missing = group.min - machines.filter((m) => m.group === group.name).length;
      for (let i = 0; i < missing; i++) await this.deps.machines.add(group.name, group.shape, now, now + clock.scaled(group.provisioningDelayMs));
      if (missing > 0) changed = true;
    }
    for (const m of machines) {
      if (cache.get(`nodes/${m.name}`) || now - m.requestedAt < clock.scaled(settings.maxNodeProvisionTimeMs)) continue;
      await this.deps.machines.remove(m.name);
      this.backoffUntil.set(m.group, now + clock.scaled(SCALE_UP_BACKOFF_MS));
      changed = true;
      if (this.status.configMap) await this.deps.recorder.event(this.status.configMap, 'Warning', 'DeleteUnregistered', `Removed unregistered node ${m.name}`);
    }
    for (const [name, started] of this.deleting) {
      const left = cache.byIndex(NODE_NAME_INDEX, name, 'pods').filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      if (left.length && now - started < clock.scaled(MAX_GRACEFUL_TERMINATION_MS)) continue;
      await finishNodeRemoval(name, this.deps, cache.get(`nodes/${name}`));
      this.deleting.delete(name);
      changed = true;
    }
    return changed ? this.deps.machines.list() : machines;
  }

  private async scaleUp(cache: Indexer, infos: NodeInfo[], machines: Machine[], registered: Map<string, KubeObject>, sizes: GroupSize[], sim: { profile: readonly ProfilePlugin[]; lister: Indexer }, span: Span): Promise<boolean> {
    const pending = unschedulablePods(cache.list('pods'));
    const ready = infos.filter((i) => isReady(i.node) && !beingDeleted(i.node));
    const groups = new Map(this.deps.settings.nodeGroups.map((g) => [g.name, g]));
    const upcoming = machines.filter((m) => !registered.has(m.name) || !isReady(registered.get(m.name)!)).flatMap((m) => (groups.has(m.group) ? [new NodeInfo(templateNode(groups.get(m.group)!, m.name))] : []));
    span.setAttributes({ 'kubeq.ca.unschedulable_pods': pending.length, 'kubeq.ca.ready_nodes': ready.length, 'kubeq.ca.upcoming_nodes': upcoming.length });
    if (!pending.length) return false;
    const { unschedulable, placed } = filterOutSchedulable(pending, [...ready, ...upcoming], sim);
    span.setAttributes({ 'kubeq.ca.pods_fitting_existing_or_upcoming': placed.size, 'kubeq.ca.pods_needing_scale_up': unschedulable.length });
    if (!unschedulable.length) return false;
    const plan = planScaleUp(unschedulable, sizes, ready, sim, this.deps.settings.expanders, { random: this.deps.random, priorityConfig: cache.get(`configmaps/${KUBE_SYSTEM}/${PRIORITY_CONFIGMAP}`) });
    for (const v of plan.verdicts) {
      span.setAttribute(`kubeq.ca.group.${v.group}.result`, v.result);
      if (v.nodeCount !== undefined) span.setAttributes({ [`kubeq.ca.group.${v.group}.new_nodes`]: v.nodeCount, [`kubeq.ca.group.${v.group}.pods`]: v.pods ?? 0 });
    }
    for (const [expander, scores] of Object.entries(plan.scores)) for (const [group, score] of Object.entries(scores)) span.setAttribute(`kubeq.ca.expander.${expander}.${group}`, score);
    span.setAttribute('kubeq.ca.expander', this.deps.settings.expanders.join(','));
    if (!plan.scaleUp) {
      span.setAttribute('kubeq.ca.decision', 'NotTriggerScaleUp');
      for (const [pod, reasons] of plan.noScaleUp) await this.deps.recorder.event(pod, 'Normal', 'NotTriggerScaleUp', `pod didn't trigger scale-up: ${reasons}`);
      return false;
    }
    span.setAttributes({ 'kubeq.ca.decision': 'TriggeredScaleUp', 'kubeq.ca.scale_up': scaleUpInfo(plan.scaleUp), 'kubeq.ca.triggering_pods': plan.triggered.length });
    const names = await executeScaleUp(plan, this.status.configMap, this.deps);
    span.setAttribute('kubeq.ca.new_machines', names.join(','));
    this.lastScaleUp = this.deps.clock.now().getTime();
    return true;
  }

  private async scaleDown(cache: Indexer, infos: NodeInfo[], byName: Map<string, Machine>, sizes: GroupSize[], sim: { profile: readonly ProfilePlugin[]; lister: Indexer }, now: number, span: Span): Promise<ScaleDownCandidates> {
    const { clock, settings } = this.deps;
    const pods = cache.list('pods');
    const replicasOf = (owner: any, ns: string) => (owner.kind === 'ReplicaSet' ? cache.get(`replicasets/${ns}/${owner.name}`)?.spec?.replicas : undefined);
    const pdbs = cache.list('poddisruptionbudgets').map((pdb) => ({ pdb, status: pdbStatus(pdb, pods, replicasOf, new Date(now)) }));
    const deletingIn = (group: string) => [...this.deleting.keys()].filter((n) => byName.get(n)?.group === group).length;
    const removableCount = new Map(sizes.map(({ group, target }) => [group.name, target - group.min - deletingIn(group.name)]));
    const candidates = findUnneeded({ nodes: infos, groupOf: (n) => byName.get(n)?.group, removableCount, threshold: settings.utilizationThreshold, pdbs, sim });
    const unneeded = new Set(candidates.unneeded.map((u) => u.node));
    for (const name of [...this.unneededSince.keys()]) if (!unneeded.has(name)) this.unneededSince.delete(name);
    for (const u of candidates.unneeded) if (!this.unneededSince.has(u.node)) this.unneededSince.set(u.node, now);
    for (const u of candidates.unneeded) {
      span.setAttributes({ [`kubeq.ca.node.${u.node}.utilization`]: u.utilization.utilization, [`kubeq.ca.node.${u.node}.unneeded_for_s`]: ((now - this.unneededSince.get(u.node)!) * settings.timeScale) / 1000, [`kubeq.ca.node.${u.node}.pods_to_move`]: u.pods.map((p) => `${p.pod.metadata.namespace}/${p.pod.metadata.name}->${p.destination}`).join(',') });
    }
    for (const r of candidates.unremovable) {
      span.setAttributes({ [`kubeq.ca.node.${r.node}.unremovable`]: r.reason, ...(r.detail ? { [`kubeq.ca.node.${r.node}.detail`]: r.detail } : {}), ...(r.utilization !== undefined ? { [`kubeq.ca.node.${r.node}.utilization`]: r.utilization } : {}) });
    }
    const cooldown = now - this.lastScaleUp < clock.scaled(settings.delayAfterAddMs) ? 'scale-down-delay-after-add' : now - this.lastScaleDownFailure < clock.scaled(settings.delayAfterFailureMs) ? 'scale-down-delay-after-failure' : this.deleting.size ? 'removal in progress' : undefined;
    span.setAttributes({ 'kubeq.ca.threshold': settings.utilizationThreshold, 'kubeq.ca.unneeded_nodes': candidates.unneeded.length, 'kubeq.ca.cooldown': cooldown ?? 'none' });
    if (cooldown) return candidates;
    const ripe = candidates.unneeded.filter((u) => now - this.unneededSince.get(u.node)! >= clock.scaled(settings.unneededTimeMs));
    // As upstream: empty nodes go together; of the others, one at a time.
    const chosen = [...ripe.filter((u) => u.pods.length === 0), ...ripe.filter((u) => u.pods.length > 0).slice(0, 1)];
    span.setAttribute('kubeq.ca.removing', chosen.map((u) => u.node).join(','));
    for (const target of chosen) {
      if (await startNodeRemoval(target, this.status.configMap, this.deps)) this.deleting.set(target.node, now);
      else this.lastScaleDownFailure = now;
      this.unneededSince.delete(target.node);
    }
    return candidates;
  }
}
