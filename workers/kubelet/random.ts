/**
 * Jitter that does not depend on how often a reconcile runs: a number in [0, 1) drawn from
 * (KUBEQ_SEED, pod uid, stage), so a pod's delays are the same on every run of its key and on
 * every run of the cluster with the same seed.
 */
import { createHash } from 'node:crypto';

export function seededUnit(seed: number, ...parts: string[]): number {
  const digest = createHash('sha256').update([String(seed), ...parts].join('\u0000')).digest();
  return digest.readUInt32BE(0) / 4294967296;
}

/** A stable 64-hex id (container ids, image digests). */
export function stableHex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
