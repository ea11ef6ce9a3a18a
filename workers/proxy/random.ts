import { createHash } from 'node:crypto';

/** A uniform number in [0, 1). Simulation code takes one of these, never Math.random. */
export type RandomSource = () => number;

/**
 * A reproducible stream named by (seed, ...parts): draw i is sha256(seed, parts, i). Named streams
 * keep one node's (or one service's) picks independent of how many draws another made.
 */
export function seededRandom(seed: number, ...parts: string[]): RandomSource {
  const prefix = [String(seed), ...parts].join('\u0000');
  let i = 0;
  return () => createHash('sha256').update(`${prefix}\u0000${i++}`).digest().readUInt32BE(0) / 4294967296;
}
