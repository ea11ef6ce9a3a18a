import { invalidPacketRequest, sendPacket, type PacketRequest, type PacketResult } from '../shared/netstate/packets';
import { withCliRedis } from './trace-command';

interface HopView {
  node: string;
  device: string;
  kind: string;
  src: string;
  dst: string;
  natSrc?: string;
  natDst?: string;
  outer?: { src: string; dst: string; port: number };
  latencyUs: number;
  note: string;
}

/** One line per hop, then who served (or why it was dropped), per packet; the trace id last. */
export function packetText(result: PacketResult): string {
  const lines: string[] = [];
  result.packets.forEach((p, i) => {
    if (result.packets.length > 1) lines.push(`packet ${i + 1}:`);
    for (const h of p.hops as HopView[]) {
      const nat = h.natDst ? ` → ${h.natDst}` : h.natSrc ? ` (from ${h.natSrc})` : '';
      const outer = h.outer ? ` [outer ${h.outer.src} → ${h.outer.dst}:${h.outer.port}]` : '';
      lines.push(`  ${h.node.padEnd(12)} ${h.device.padEnd(15)} ${h.src} → ${h.dst}${nat}${outer}  ${h.latencyUs}µs  ${h.note}`);
    }
    lines.push(p.served ? `  served by ${p.served.pod} (${p.served.endpoint}) on ${p.served.node}` : `  dropped: ${p.dropped}`);
  });
  const served = Object.entries(result.servedBy).map(([pod, n]) => `${pod} ${n}`);
  if (result.packets.length > 1 && served.length) lines.push(`served: ${served.join(', ')}`);
  lines.push(`trace ${result.traceId}`);
  return lines.join('\n');
}

/** `kubeq packet send --from <ns>/<pod> --to <host>:<port> [--count N]`, through the proxy role (REDIS_URL, or the running `kubeq up`'s Redis). */
export async function packetSend(request: PacketRequest, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const problem = invalidPacketRequest(request);
  if (problem) throw new Error(problem);
  // null retries: the request goes through a BullMQ queue on this connection.
  return withCliRedis(
    env,
    async (redis, prefix) => {
      const result = await sendPacket(redis, prefix, request, '');
      if (!result) throw new Error('no proxy answered in time: is the proxy role running?');
      if (result.error) throw new Error(result.error);
      return packetText(result);
    },
    null,
  );
}
