/**
 * Renders rule sets as `iptables-save` prints them (legacy backend): built-in chains first with
 * their policy, then kube-proxy's chains in name order (libiptc keeps user chains sorted), then
 * every chain's rules grouped in that same chain order. Rule text is what kube-proxy wrote; the
 * kernel normalisations iptables-save would add (`/32` suffixes, match reordering, `--set-xmark`,
 * the statistic probability re-printed from its 32-bit fixed point) are deliberately not applied,
 * so probabilities read 0.3333333333 as kube-proxy writes them.
 */
import type { IptablesRules, TableRules } from './iptables';

/** Built-in chains of a table with the jump rules kube-proxy ensures in them. */
export type BuiltinJumps = Record<'filter' | 'nat', { chain: string; jumps: string[] }[]>;

/**
 * The iptables proxier's iptablesJumpChains (and kubelet's KUBE-FIREWALL jumps). Each is ensured
 * with Prepend, so on a fresh node they stand in reverse order of upstream's list.
 */
export const IPTABLES_MODE_JUMPS: BuiltinJumps = {
  filter: [
    {
      chain: 'INPUT',
      jumps: [
        '-A INPUT -j KUBE-FIREWALL',
        '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
        '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
        '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      ],
    },
    {
      chain: 'FORWARD',
      jumps: [
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
        '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      ],
    },
    {
      chain: 'OUTPUT',
      jumps: [
        '-A OUTPUT -j KUBE-FIREWALL',
        '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
        '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      ],
    },
  ],
  nat: [
    { chain: 'PREROUTING', jumps: ['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'] },
    { chain: 'INPUT', jumps: [] },
    { chain: 'OUTPUT', jumps: ['-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'] },
    { chain: 'POSTROUTING', jumps: ['-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'] },
  ],
};

/** The chain a `-A CHAIN …` line appends to. */
export function ruleChain(rule: string): string {
  return rule.split(' ', 2)[1];
}

/** One table (`*nat` … `COMMIT`) as iptables-save prints it. */
export function saveTable(name: 'filter' | 'nat', table: TableRules, jumps: BuiltinJumps = IPTABLES_MODE_JUMPS): string {
  const builtin = jumps[name];
  const user = [...new Set(table.chains)].sort();
  const hasChain = new Set(user);
  const lines = [`*${name}`];
  for (const b of builtin) lines.push(`:${b.chain} ACCEPT [0:0]`);
  for (const c of user) lines.push(`:${c} - [0:0]`);
  for (const b of builtin) lines.push(...b.jumps.filter((j) => hasChain.has(j.split(' -j ')[1])));
  const byChain = new Map<string, string[]>();
  for (const r of table.rules) {
    const c = ruleChain(r);
    const list = byChain.get(c);
    if (list) list.push(r);
    else byChain.set(c, [r]);
  }
  for (const c of user) lines.push(...(byChain.get(c) ?? []));
  lines.push('COMMIT');
  return `${lines.join('\n')}\n`;
}

/** `iptables-save` of both tables kube-proxy owns rules in: filter, then nat. */
export function iptablesSave(rules: IptablesRules, jumps: BuiltinJumps = IPTABLES_MODE_JUMPS): string {
  return saveTable('filter', rules.filter, jumps) + saveTable('nat', rules.nat, jumps);
}

/** The iptables-restore input kube-proxy writes (its own order, chains before rules). */
export function restoreInput(rules: IptablesRules): string {
  const table = (name: string, t: TableRules): string[] => [`*${name}`, ...t.chains.map((c) => `:${c} - [0:0]`), ...t.rules, 'COMMIT'];
  return `${[...table('filter', rules.filter), ...table('nat', rules.nat)].join('\n')}\n`;
}
