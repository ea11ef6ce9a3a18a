/**
 * One node's kube-proxy sync (reconcile `proxy/<node>`): the Services and EndpointSlices from
 * the cache become the rules of `KUBEQ_PROXY_MODE` (index.ts), with the node's overlay route
 * table, and are written for the debug endpoints, no more often than minSyncPeriod (upstream's
 * BoundedFrequencyRunner: changes in between are taken by the next sync). The span carries the
 * sync's rule counts and modelled cost.
 */
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { ProxyRulesStore } from '../../shared/netstate/proxy-rules';
import type { Span } from '@opentelemetry/api';
import { computeProxyRules, ipvsadmList, iptablesSyncCost, ipvsSyncCost, type EndpointSlice, type IpvsState, type Service } from './index';
import { nodeNet, routeTable, type NodeNet } from './overlay';
import type { ProxySettings } from './settings';

export const PROXY_KEY_PREFIX = 'proxy/';

export interface SyncState {
  lastSync: Map<string, number>;
  /** The IPVS state each node had, for the incremental cost. */
  ipvs: Map<string, IpvsState>;
}

export async function syncNode(node: string, cache: Indexer, rules: ProxyRulesStore, clock: Clock, settings: ProxySettings, state: SyncState, span?: Span): Promise<ReconcileResult | void> {
  const nodeObject = cache.get(`nodes/${node}`);
  if (!nodeObject) return void (await rules.forget(node));
  const net = nodeNet(nodeObject);
  const now = clock.now().getTime();
  const since = now - (state.lastSync.get(node) ?? -Infinity);
  const minSync = clock.scaled(settings.minSyncMs);
  if (since < minSync) return { requeueAfter: minSync - since };
  state.lastSync.set(node, now);

  const ip = net?.underlayIP ?? (nodeObject.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '';
  const input = { services: cache.list('services') as unknown as Service[], endpointSlices: cache.list('endpointslices') as unknown as EndpointSlice[], node: { name: node, ip } };
  const computed = computeProxyRules(input, { mode: settings.mode, ipvs: { scheduler: settings.ipvsScheduler } });
  const report = computed.mode === 'ipvs' ? ipvsSyncCost(state.ipvs.get(node) ?? null, computed.ipvs) : iptablesSyncCost(computed.iptables, computed.ports.length);
  if (computed.mode === 'ipvs') state.ipvs.set(node, computed.ipvs);
  const nets = cache.list('nodes').map((n: KubeObject) => nodeNet(n)).filter((n): n is NodeNet => !!n);
  await rules.write({
    node,
    mode: computed.mode,
    text: computed.text,
    ...(computed.mode === 'ipvs' ? { ipvsadm: ipvsadmList(computed.ipvs) } : {}),
    routes: net ? routeTable(net, nets, settings.flannelBackend) : [],
    syncedAt: now,
    rulesWritten: report.rulesWritten,
    totalRules: report.totalRules,
    simulatedMs: report.simulatedMs,
  });
  span?.setAttributes({ 'kubeq.proxy.mode': computed.mode, 'kubeq.proxy.rules_written': report.rulesWritten, 'kubeq.proxy.total_rules': report.totalRules, 'kubeq.proxy.simulated_sync_ms': report.simulatedMs });
}
