/**
 * Span attributes that explain a scheduling decision: per plugin, each node's filter verdict
 * and scores. Per-node data goes in string-array attributes (one attribute per kind), so a
 * thousand nodes stay within OpenTelemetry's default limit of 128 attributes per span.
 */
import type { Attributes } from '@opentelemetry/api';
import type { CycleResult, PluginRecord } from '../../shared/scheduling/framework/cycle';
import type { Status } from '../../shared/scheduling/framework/status';

export const ATTR_PLUGIN = 'kubeq.scheduler.plugin';
/** Nodes that passed this plugin's filter. */
export const ATTR_FILTER_PASSED = 'kubeq.scheduler.filter.passed';
/** `node: code: reason, reason` for nodes this plugin rejected (or failed on). */
export const ATTR_FILTER_REJECTED = 'kubeq.scheduler.filter.rejected';
/** `node=raw/normalized/weighted` per feasible node. */
export const ATTR_SCORES = 'kubeq.scheduler.scores';
export const ATTR_PRE_FILTER = 'kubeq.scheduler.prefilter';
/** What a PostFilter plugin (DefaultPreemption) said once no node fit. */
export const ATTR_POST_FILTER = 'kubeq.scheduler.postfilter';
export const ATTR_OUTCOME = 'kubeq.scheduler.outcome';
export const ATTR_SELECTED_NODE = 'kubeq.scheduler.selected_node';
export const ATTR_FEASIBLE_NODES = 'kubeq.scheduler.feasible_nodes';
export const ATTR_EVALUATED_NODES = 'kubeq.scheduler.evaluated_nodes';
export const ATTR_MESSAGE = 'kubeq.scheduler.message';
/** `node=total` per feasible node. */
export const ATTR_TOTALS = 'kubeq.scheduler.totals';

function verdict(status: Status): string {
  return status.reasons.length ? `${status.code}: ${status.reasons.join(', ')}` : status.code;
}

/** Attributes for one plugin's child span; undefined when the plugin took no part (no node reached it, no score). */
export function pluginAttributes(record: PluginRecord): Attributes | undefined {
  const attrs: Attributes = { [ATTR_PLUGIN]: record.plugin };
  if (record.preFilter) attrs[ATTR_PRE_FILTER] = verdict(record.preFilter);
  if (record.filter.size) {
    const entries = [...record.filter];
    attrs[ATTR_FILTER_PASSED] = entries.filter(([, s]) => s.code === 'Success').map(([n]) => n);
    attrs[ATTR_FILTER_REJECTED] = entries.filter(([, s]) => s.code !== 'Success').map(([n, s]) => `${n}: ${verdict(s)}`);
  }
  if (record.postFilter) attrs[ATTR_POST_FILTER] = verdict(record.postFilter);
  if (record.raw) {
    attrs[ATTR_SCORES] = record.raw.map((s, i) => `${s.name}=${s.score}/${record.normalized?.[i]?.score ?? '?'}/${record.weighted?.[i]?.score ?? '?'}`);
  }
  return Object.keys(attrs).length > 1 ? attrs : undefined;
}

/** Attributes for the `schedule Pod` span once the cycle has run. */
export function outcomeAttributes(result: CycleResult, evaluated: number): Attributes {
  const attrs: Attributes = { [ATTR_OUTCOME]: result.kind, [ATTR_EVALUATED_NODES]: evaluated, [ATTR_FEASIBLE_NODES]: result.feasible.length };
  if (result.kind === 'scheduled') attrs[ATTR_SELECTED_NODE] = result.nodeName;
  if (result.kind === 'unschedulable') attrs[ATTR_MESSAGE] = result.message;
  if (result.kind === 'error') attrs[ATTR_MESSAGE] = verdict(result.status);
  if (result.totals.length) attrs[ATTR_TOTALS] = result.totals.map((t) => `${t.name}=${t.score}`);
  return attrs;
}
