/**
 * Pod addresses per node (the CNI's host-local IPAM): each node's pods get the lowest free
 * address of its podCIDR. Only one kubelet process runs a node, so its reservations live in
 * that process's memory, loaded once per node from the store (the pods bound there that hold an
 * address) and kept by this process after that. A reservation is synchronous once the node is
 * loaded, so pod reconciles can run concurrently without two pods taking one address.
 */
import type { KubeObject } from '../../shared/api/types';
import { intToIpv4, ipv4ToInt } from '../../shared/net/ipv4';

/** The lowest address of an IPv4 `cidr` (from .2: .1 is the node's bridge) not in `used`; undefined when full. */
export function freeIP(cidr: string, used: ReadonlySet<string>): string | undefined {
  const [ip, bits] = cidr.split('/');
  const base = ipv4ToInt(ip);
  const size = 2 ** (32 - Number(bits));
  for (let offset = 2; offset < size - 1; offset++) {
    const candidate = intToIpv4(base + offset);
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

/** Whether a pod still holds its address: not finished. */
export const holdsAddress = (pod: KubeObject) => !!pod.status?.podIP && !['Succeeded', 'Failed'].includes(pod.status?.phase);

export class PodAddresses {
  /** node → (pod uid → address). */
  private readonly nodes = new Map<string, Promise<Map<string, string>>>();

  /** `load(node)`: the pods bound to the node now, from the store. */
  constructor(private readonly load: (node: string) => Promise<KubeObject[]>) {}

  private held(node: string, reload = false): Promise<Map<string, string>> {
    let held = this.nodes.get(node);
    if (!held || reload) {
      held = this.load(node).then((pods) => new Map(pods.filter(holdsAddress).map((p) => [p.metadata.uid ?? '', p.status.podIP as string])));
      // A failed load is not kept: the next reservation tries again.
      held.catch(() => this.nodes.delete(node));
      this.nodes.set(node, held);
    }
    return held;
  }

  /** The address of pod `uid` on `node`: the one it holds, or the lowest free one in `cidr`. Throws (retry) when the range is full. */
  async reserve(node: string, cidr: string, uid: string): Promise<string> {
    for (const reload of [false, true]) {
      const held = await this.held(node, reload);
      const mine = held.get(uid);
      if (mine) return mine;
      const ip = freeIP(cidr, new Set(held.values()));
      if (ip) {
        held.set(uid, ip);
        return ip;
      }
      // Full: pods removed behind this process's back may still be counted; read the store again.
    }
    throw new Error(`no free pod IP in ${cidr} on ${node}`);
  }

  /** Pod `uid` no longer needs its address (finished or removed). */
  release(node: string, uid: string): void {
    void this.nodes.get(node)?.then((held) => held.delete(uid), () => undefined);
  }
}
