/**
 * Chain names as upstream kube-proxy derives them (pkg/proxy/iptables/proxier.go, portProtoHash
 * and servicePortEndpointChainName): the first 16 characters of the standard base32 encoding of
 * sha256(servicePortName + lowercase protocol [+ endpoint "ip:port"]), after a KUBE-XXX- prefix.
 */
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), padding omitted: callers keep 16 characters. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Names repeat across syncs and across the nodes one process serves, so hashes are memoized;
 * the memo is dropped whole when it passes MEMO_LIMIT entries (deleted services leave no leak).
 */
const MEMO_LIMIT = 500_000;
const memo = new Map<string, string>();

function hash16(input: string): string {
  let h = memo.get(input);
  if (h === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    h = base32(createHash('sha256').update(input).digest()).slice(0, 16);
    memo.set(input, h);
  }
  return h;
}

/** `protocol` is the Kubernetes protocol (TCP); upstream hashes it lowercased. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol.toLowerCase());
}

/** KUBE-SVC-…: the service port's Cluster-policy chain. */
export const clusterPolicyChain = (spn: string, protocol: string): string => `KUBE-SVC-${portProtoHash(spn, protocol)}`;
/** KUBE-SVL-…: the Local-policy chain (exists only with a Local traffic policy). */
export const localPolicyChain = (spn: string, protocol: string): string => `KUBE-SVL-${portProtoHash(spn, protocol)}`;
/** KUBE-EXT-…: external (NodePort, LoadBalancer, external IP) traffic. */
export const externalChain = (spn: string, protocol: string): string => `KUBE-EXT-${portProtoHash(spn, protocol)}`;
/** KUBE-FW-…: loadBalancerSourceRanges filtering. */
export const firewallChain = (spn: string, protocol: string): string => `KUBE-FW-${portProtoHash(spn, protocol)}`;

/** KUBE-SEP-…: one endpoint (`ip:port`) of one service port. */
export function endpointChain(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(spn + protocol.toLowerCase() + endpoint)}`;
}
