/**
 * What one sync costs, as a model: the numbers are simulated, not measured.
 *
 * iptables: every sync is a full iptables-restore of both tables, so the cost is linear in the
 * total number of rules. The constant is the seed's figure (seeds/003, "5 hours to install the
 * 160K iptables rules representing 20K k8s services"): 5 h / 160,000 rules = 112.5 ms per rule.
 * That figure is for the rule-at-a-time updates of early kube-proxy; it is kept because it is the
 * seed's point (iptables syncs explode at 5k–20k services), and can be changed per call.
 *
 * IPVS: syncs are incremental (netlink calls per changed virtual server, real server, bound
 * address and ipset entry) and the iptables part stays a small static set (seeds/002: "the number
 * of iptables rules is static"), so the cost depends on what changed, not on the cluster's size.
 * The seed gives no figure; 1 ms per kernel operation is this model's assumption.
 */
import type { IptablesRules } from './iptables';
import type { IpvsState, VirtualServer } from './ipvs';

export interface SyncCostModel {
  /** Simulated time per rule in a full iptables-restore; default 112.5 ms (seed 003). */
  iptablesMsPerRule?: number;
  /** Simulated time per IPVS/ipset/address kernel operation; default 1 ms (assumption). */
  ipvsMsPerOperation?: number;
}

export interface SyncReport {
  mode: 'iptables' | 'ipvs';
  /** Rules (iptables lines, or IPVS kernel operations) this sync wrote. */
  rulesWritten: number;
  /** Rules in place after the sync: iptables lines, or virtual + real servers. */
  totalRules: number;
  /** Service ports whose rules changed since the previous sync. */
  changedServices: number;
  /** The model's cost of the sync, in simulated milliseconds. */
  simulatedMs: number;
}

export function iptablesSyncCost(rules: IptablesRules, changedServices: number, model: SyncCostModel = {}): SyncReport {
  const total = rules.nat.rules.length + rules.filter.rules.length;
  return { mode: 'iptables', rulesWritten: total, totalRules: total, changedServices, simulatedMs: total * (model.iptablesMsPerRule ?? 112.5) };
}

const vsKey = (v: VirtualServer): string => `${v.protocol}/${v.address}:${v.port}`;
const rsSet = (v: VirtualServer): Set<string> => new Set(v.realServers.map((r) => `${r.address}:${r.port}/${r.weight}`));

/** The incremental sync from `prev` (null: first sync) to `next`. */
export function ipvsSyncCost(prev: IpvsState | null, next: IpvsState, model: SyncCostModel = {}): SyncReport {
  const before = new Map((prev?.virtualServers ?? []).map((v) => [vsKey(v), v]));
  const after = new Map(next.virtualServers.map((v) => [vsKey(v), v]));
  const changed = new Set<string>();
  let ops = 0;
  for (const [key, v] of after) {
    const old = before.get(key);
    const oldRs = old ? rsSet(old) : new Set<string>();
    const newRs = rsSet(v);
    const rsOps = [...newRs].filter((r) => !oldRs.has(r)).length + [...oldRs].filter((r) => !newRs.has(r)).length;
    const vsOps = !old || old.scheduler !== v.scheduler || old.persistentTimeout !== v.persistentTimeout ? 1 : 0;
    if (rsOps + vsOps > 0) changed.add(v.servicePort);
    ops += rsOps + vsOps;
  }
  for (const [key, v] of before) {
    if (!after.has(key)) {
      ops += 1;
      changed.add(v.servicePort);
    }
  }
  ops += symmetricDifference(prev?.dummyAddresses ?? [], next.dummyAddresses);
  for (const [set, entries] of next.ipsets) ops += symmetricDifference(prev?.ipsets.get(set) ?? [], entries);
  const total = next.virtualServers.reduce((n, v) => n + 1 + v.realServers.length, 0);
  return { mode: 'ipvs', rulesWritten: ops, totalRules: total, changedServices: changed.size, simulatedMs: ops * (model.ipvsMsPerOperation ?? 1) };
}

function symmetricDifference(a: string[], b: string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  return [...sb].filter((x) => !sa.has(x)).length + [...sa].filter((x) => !sb.has(x)).length;
}
