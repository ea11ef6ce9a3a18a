/**
 * ImageLocality: favors nodes that already have the pod's images (node.status.images), by
 * size, discounted by how few nodes share the image (so one node holding a common image
 * does not attract every pod). Upstream's thresholds: below 23Mi in total scores 0; the
 * score reaches 100 at 1000Mi per container.
 */
import type { KubeObject } from '../../../api/types';
import type { NodeInfo } from '../../framework/node-info';
import { allNodes, MAX_NODE_SCORE, type CycleState, type Plugin } from '../../framework/plugin';

export const NAME = 'ImageLocality';
const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const STATE_KEY = `${NAME}/imageStates`;

interface ImageState {
  size: number;
  numNodes: number;
}

/** `nginx` → `nginx:latest`; names with a tag (or digest) stay as they are. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

function imagesOf(node: NodeInfo): { names?: string[]; sizeBytes?: number }[] {
  return Array.isArray(node.node.status?.images) ? node.node.status.images : [];
}

/** Image name → size and how many nodes of the snapshot hold it. */
function imageStates(state: CycleState): Map<string, ImageState> {
  let states = state.get(STATE_KEY) as Map<string, ImageState> | undefined;
  if (states) return states;
  states = new Map();
  for (const node of allNodes(state)) {
    const seen = new Set<string>();
    for (const image of imagesOf(node)) {
      for (const name of image.names ?? []) {
        if (seen.has(name)) continue;
        seen.add(name);
        const s = states.get(name) ?? { size: image.sizeBytes ?? 0, numNodes: 0 };
        s.numNodes++;
        states.set(name, s);
      }
    }
  }
  state.set(STATE_KEY, states);
  return states;
}

/** Upstream's calculatePriority: the clamped sum mapped linearly onto 0..100 (integer division). */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

function containers(pod: KubeObject): { image?: string }[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

export function imageLocalityScore(state: CycleState, pod: KubeObject, node: NodeInfo): number {
  const states = imageStates(state);
  const total = allNodes(state).length;
  const onNode = new Set(imagesOf(node).flatMap((i) => i.names ?? []));
  let sum = 0;
  for (const c of containers(pod)) {
    const name = normalizedImageName(c.image ?? '');
    const s = states.get(name);
    if (s && onNode.has(name)) sum += Math.trunc((s.size * s.numNodes) / total);
  }
  return calculatePriority(sum, containers(pod).length);
}

export const imageLocality: Plugin = {
  name: NAME,
  score: imageLocalityScore,
};
