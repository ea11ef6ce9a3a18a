/**
 * A simulated packet through the rules kube-proxy wrote: nat KUBE-SERVICES first (where the
 * statistic and recent rules pick the endpoint and DNAT it), then, if nothing translated it, the
 * filter chains that REJECT or DROP it. The same walk as upstream's test tracer
 * (tracePacket in proxier_test.go), plus the randomness and state the kernel would add.
 */
import ipaddr from 'ipaddr.js';
import type { IptablesRules } from './iptables';
import { parseChains, type ParsedRule } from './iptables-parse';
import type { RandomSource } from './random';

export interface Packet {
  src: string;
  dst: string;
  /** Lowercase or Kubernetes spelling: tcp, TCP. */
  protocol: string;
  dport: number;
}

/** xt_recent's lists: list name → source address → last time seen (ms). Kernel state, per node. */
export type RecentLists = Map<string, Map<string, number>>;

export interface WalkContext {
  random: RandomSource;
  /** Cluster time in ms, for `recent --seconds`. */
  nowMs: number;
  recent: RecentLists;
}

export interface WalkResult {
  /** DNAT: translated to `endpoint`; REJECT/DROP: refused; NONE: no kube-proxy rule matched. */
  verdict: 'DNAT' | 'REJECT' | 'DROP' | 'ACCEPT' | 'NONE';
  endpoint?: string;
  /** The packet carries the masquerade mark (KUBE-POSTROUTING will SNAT it). */
  masquerade: boolean;
  /** Every rule that matched, in order: the reason for the verdict. */
  matched: string[];
}

export interface CompiledRules {
  nat: Map<string, ParsedRule[]>;
  filter: Map<string, ParsedRule[]>;
  /** Addresses `addrtype LOCAL` matches besides 127.0.0.0/8: the node's own. */
  localAddresses: string[];
}

export function compileRules(rules: IptablesRules, localAddresses: string[]): CompiledRules {
  return { nat: parseChains(rules.nat.rules), filter: parseChains(rules.filter.rules), localAddresses };
}

export function walkIptables(c: CompiledRules, p: Packet, ctx: WalkContext): WalkResult {
  const result: WalkResult = { verdict: 'NONE', masquerade: false, matched: [] };
  runChain(c, c.nat, 'KUBE-SERVICES', p, ctx, result, 0);
  if (result.verdict !== 'NONE') return result;
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    if (runChain(c, c.filter, chain, p, ctx, result, 0) === 'stop') break;
  }
  return result;
}

type Outcome = 'stop' | 'return' | 'end';

function runChain(c: CompiledRules, table: Map<string, ParsedRule[]>, chain: string, p: Packet, ctx: WalkContext, out: WalkResult, depth: number): Outcome {
  if (depth > 16) throw new Error(`iptables walk: chain depth exceeded at ${chain}`);
  for (const rule of table.get(chain) ?? []) {
    if (!matches(c, rule, p, ctx)) continue;
    out.matched.push(rule.text);
    const target = rule.target;
    if (target === undefined || target === 'MASQUERADE') continue;
    if (target === 'MARK') {
      if (rule.text.includes('--or-mark')) out.masquerade = true;
      continue;
    }
    if (target === 'RETURN') return 'return';
    if (target === 'DNAT') {
      out.verdict = 'DNAT';
      out.endpoint = rule.toDestination;
      return 'stop';
    }
    if (target === 'REJECT' || target === 'DROP' || target === 'ACCEPT') {
      out.verdict = target;
      return 'stop';
    }
    if (runChain(c, table, target, p, ctx, out, depth + 1) === 'stop') return 'stop';
  }
  return 'end';
}

/** Header matches first, then `recent`, then `statistic`: a random draw only for rules reached. */
function matches(c: CompiledRules, r: ParsedRule, p: Packet, ctx: WalkContext): boolean {
  if (r.protocol && r.protocol !== p.protocol.toLowerCase()) return false;
  if (r.dport !== undefined && r.dport !== p.dport) return false;
  if (r.source && inCidr(p.src, r.source.cidr) === r.source.negated) return false;
  if (r.destination && inCidr(p.dst, r.destination.cidr) === r.destination.negated) return false;
  if (r.srcTypeLocal && !isLocal(c, p.src)) return false;
  if (r.dstTypeLocal && !isLocal(c, p.dst)) return false;
  if (r.recent?.mode === 'rcheck' && !recentCheck(ctx, r.recent.name, p.src, r.recent.seconds, r.recent.reap)) return false;
  if (r.probability !== undefined && !statisticMatch(r.probability, ctx.random)) return false;
  if (r.recent?.mode === 'set') recentList(ctx, r.recent.name).set(p.src, ctx.nowMs);
  return true;
}

/**
 * xt_statistic random mode: iptables stores the probability as round(p·2³¹) and the kernel
 * matches when a 31-bit random number is below it.
 */
function statisticMatch(probability: number, random: RandomSource): boolean {
  return Math.floor(random() * 0x80000000) < Math.round(probability * 0x80000000);
}

function recentList(ctx: WalkContext, name: string): Map<string, number> {
  let list = ctx.recent.get(name);
  if (!list) ctx.recent.set(name, (list = new Map()));
  return list;
}

/** `--rcheck --seconds S --reap`: seen within S seconds; `--reap` forgets older entries. */
function recentCheck(ctx: WalkContext, name: string, src: string, seconds: number | undefined, reap: boolean): boolean {
  const list = recentList(ctx, name);
  const fresh = (t: number): boolean => seconds === undefined || ctx.nowMs - t <= seconds * 1000;
  if (reap) for (const [addr, t] of list) if (!fresh(t)) list.delete(addr);
  const seen = list.get(src);
  return seen !== undefined && fresh(seen);
}

function isLocal(c: CompiledRules, ip: string): boolean {
  return inCidr(ip, '127.0.0.0/8') || c.localAddresses.includes(ip);
}

function inCidr(ip: string, cidr: string): boolean {
  if (!cidr.includes('/')) return ip === cidr;
  try {
    return ipaddr.parse(ip).match(ipaddr.parseCIDR(cidr));
  } catch {
    return false;
  }
}
