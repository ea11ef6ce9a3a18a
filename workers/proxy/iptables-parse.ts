/**
 * Parses the `-A` rules this package writes back into matches and a target, so that a simulated
 * packet walks the very text that iptables-save shows. Only the match modules kube-proxy uses
 * are understood (comment, tcp/udp/sctp, addrtype, statistic, recent, mark, conntrack, nfacct).
 */
export interface ParsedRule {
  chain: string;
  text: string;
  comment?: string;
  protocol?: string;
  source?: { cidr: string; negated: boolean };
  destination?: { cidr: string; negated: boolean };
  dport?: number;
  srcTypeLocal?: boolean;
  dstTypeLocal?: boolean;
  /** `--probability` as written. */
  probability?: number;
  recent?: { name: string; mode: 'rcheck' | 'set'; seconds?: number; reap: boolean };
  target?: string;
  toDestination?: string;
}

/** Splits on spaces, keeping double-quoted strings whole (without their quotes). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2]);
  return out;
}

export function parseRule(text: string): ParsedRule {
  const t = tokenize(text);
  const rule: ParsedRule = { chain: t[1], text };
  let negate = false;
  for (let i = 2; i < t.length; i++) {
    const tok = t[i];
    const next = (): string => t[++i];
    switch (tok) {
      case '!': negate = true; continue;
      case '--comment': rule.comment = next(); break;
      case '-p': rule.protocol = next(); break;
      case '-s': rule.source = { cidr: next(), negated: negate }; break;
      case '-d': rule.destination = { cidr: next(), negated: negate }; break;
      case '--dport': rule.dport = Number(next()); break;
      case '--src-type': rule.srcTypeLocal = next() === 'LOCAL'; break;
      case '--dst-type': rule.dstTypeLocal = next() === 'LOCAL'; break;
      case '--probability': rule.probability = Number(next()); break;
      case '--name': rule.recent = { name: next(), mode: 'set', reap: false }; break;
      case '--rcheck': if (rule.recent) rule.recent.mode = 'rcheck'; break;
      case '--set': if (rule.recent) rule.recent.mode = 'set'; break;
      case '--seconds': if (rule.recent) rule.recent.seconds = Number(next()); break;
      case '--reap': if (rule.recent) rule.recent.reap = true; break;
      case '-j': rule.target = next(); break;
      case '--to-destination': rule.toDestination = next(); break;
      default: break;
    }
    negate = false;
  }
  return rule;
}

/** Rules grouped by chain, in order. */
export function parseChains(rules: string[]): Map<string, ParsedRule[]> {
  const chains = new Map<string, ParsedRule[]>();
  for (const text of rules) {
    const r = parseRule(text);
    const list = chains.get(r.chain);
    if (list) list.push(r);
    else chains.set(r.chain, [r]);
  }
  return chains;
}
