/**
 * Which real server IPVS gives a new connection: the persistence template first (ClientIP
 * affinity: `persistent <timeout>`), else the virtual server's scheduler. The kernel-side state
 * (scheduler position, templates, connection counters) is an explicit value the caller keeps.
 */
import type { RealServer, IpvsState, VirtualServer } from './ipvs';
import { connKey, type ConnectionCounts } from './ipvsadm';
import { schedule, type SchedulerMemory } from './ipvs-schedulers';

export interface IpvsRuntime {
  /** Scheduler memory per virtual server (vsKey). */
  memory: Map<string, SchedulerMemory>;
  /** Persistence templates: vsKey → client address → real server `ip:port` and expiry (ms). */
  templates: Map<string, Map<string, { realServer: string; expiresMs: number }>>;
  /** Active and inactive connections per real server, as ipvsadm -Ln shows them. */
  conns: ConnectionCounts;
}

export function newIpvsRuntime(): IpvsRuntime {
  return { memory: new Map(), templates: new Map(), conns: new Map() };
}

export const vsKey = (vs: VirtualServer): string => `${vs.protocol}/${vs.address}:${vs.port}`;

/** The virtual server a packet to dst:dport/protocol hits, if any. */
export function findVirtualServer(state: IpvsState, protocol: string, dst: string, dport: number): VirtualServer | undefined {
  const p = protocol.toUpperCase();
  return state.virtualServers.find((v) => v.protocol === p && v.address === dst && v.port === dport);
}

export interface IpvsPick {
  realServer: RealServer | null;
  /** Why: the scheduler's name, `persistent template`, or why there is none. */
  reason: string;
}

/** Picks a real server for a new connection from `src` and counts it as active. */
export function pickRealServer(vs: VirtualServer, src: string, rt: IpvsRuntime, nowMs: number): IpvsPick {
  const key = vsKey(vs);
  const rsKey = (rs: RealServer): string => `${rs.address}:${rs.port}`;
  const templates = rt.templates.get(key) ?? new Map<string, { realServer: string; expiresMs: number }>();
  rt.templates.set(key, templates);
  let pick: RealServer | null = null;
  let reason: string = vs.scheduler;
  const held = vs.persistentTimeout !== undefined ? templates.get(src) : undefined;
  if (held && held.expiresMs > nowMs) {
    pick = vs.realServers.find((rs) => rsKey(rs) === held.realServer && rs.weight > 0) ?? null;
    if (pick) reason = 'persistent template';
  }
  if (!pick) {
    const loads = vs.realServers.map((rs) => {
      const c = rt.conns.get(connKey(vs, rs));
      return { weight: rs.weight, activeConns: c?.active ?? 0, inactConns: c?.inactive ?? 0 };
    });
    const mem = rt.memory.get(key) ?? { rrLast: -1 };
    rt.memory.set(key, mem);
    const i = schedule(vs.scheduler, loads, { src, dst: vs.address }, mem);
    pick = i === null ? null : vs.realServers[i];
  }
  if (!pick) return { realServer: null, reason: 'no real server (the kernel answers ICMP port unreachable)' };
  if (vs.persistentTimeout !== undefined) templates.set(src, { realServer: rsKey(pick), expiresMs: nowMs + vs.persistentTimeout * 1000 });
  const c = rt.conns.get(connKey(vs, pick)) ?? { active: 0, inactive: 0 };
  rt.conns.set(connKey(vs, pick), { ...c, active: c.active + 1 });
  return { realServer: pick, reason };
}

/** A connection ends: it leaves the active count for the inactive one (TIME_WAIT). */
export function closeConnection(vs: VirtualServer, rs: RealServer, rt: IpvsRuntime): void {
  const c = rt.conns.get(connKey(vs, rs));
  if (c && c.active > 0) rt.conns.set(connKey(vs, rs), { active: c.active - 1, inactive: c.inactive + 1 });
}
