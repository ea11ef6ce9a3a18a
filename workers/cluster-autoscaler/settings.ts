/**
 * The cluster autoscaler's settings, from its environment. Names follow upstream's flags
 * (`--expander`, `--scale-down-unneeded-time`, …); each field's doc states its variable and
 * default. Durations are cluster time (scaled by KUBEQ_TIME_SCALE where they are used).
 */
import { parseDuration } from '../../shared/config/duration';
import type { MachineShape } from '../../shared/cloudprovider/machines';
import { parseQuantity } from '../../shared/api/quantity';
import type { Taint } from '../../shared/api/taints';
import { isValidLabelValue } from '../../shared/api/validation/labels';

export const EXPANDERS = ['random', 'least-waste', 'most-pods', 'priority'] as const;
export type ExpanderName = (typeof EXPANDERS)[number];

/** One node group (a node pool: an autoscaling group of identical machines). */
export interface NodeGroup {
  /** A DNS-1123 label; its nodes are `<name>-0`, `<name>-1`, … */
  name: string;
  /** Fewest machines; the cloud keeps at least this many (as an autoscaling group does). Default 0. */
  min: number;
  /** Most machines; scale-up never goes past it. */
  max: number;
  shape: MachineShape;
  /** From the cloud's accepting a machine to its kubelet starting; default 1m. */
  provisioningDelayMs: number;
}

export interface AutoscalerSettings {
  /** `KUBEQ_NODE_GROUPS`: JSON array of node groups (see parseNodeGroups); default none. */
  nodeGroups: NodeGroup[];
  /** `KUBEQ_CA_EXPANDER`, default `random` (upstream's `--expander`): comma-separated, each narrowing the options the previous left; random breaks remaining ties. */
  expanders: ExpanderName[];
  /** `KUBEQ_CA_SCAN_INTERVAL`, default 10s (`--scan-interval`). */
  scanIntervalMs: number;
  /** `KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD`, default 0.5: a node below it (max of cpu and memory requests over allocatable) may go. */
  utilizationThreshold: number;
  /** `KUBEQ_CA_SCALE_DOWN_UNNEEDED_TIME`, default 10m: how long a node must be unneeded before it goes. */
  unneededTimeMs: number;
  /** `KUBEQ_CA_SCALE_DOWN_DELAY_AFTER_ADD`, default 10m: no scale-down this long after a scale-up. */
  delayAfterAddMs: number;
  /** `KUBEQ_CA_SCALE_DOWN_DELAY_AFTER_FAILURE`, default 3m: no scale-down this long after a failed one. */
  delayAfterFailureMs: number;
  /** KUBEQ_TIME_SCALE (from the shared settings): to report cluster-time durations in spans. */
  timeScale: number;
  /** `KUBEQ_CA_MAX_NODE_PROVISION_TIME`, default 15m: a machine whose Node has not registered this long after it was asked for is given up and deleted. */
  maxNodeProvisionTimeMs: number;
}

const GROUP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const KNOWN_FIELDS = ['name', 'min', 'max', 'cpu', 'memory', 'pods', 'labels', 'taints', 'zone', 'provisioningDelay', 'instanceType'];

function fail(where: string, why: string): never {
  throw new Error(`KUBEQ_NODE_GROUPS: ${where}: ${why}`);
}

function quantity(where: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' && typeof value !== 'number') fail(where, `${JSON.stringify(value)} is not a quantity`);
  try {
    if (parseQuantity(value).value() <= 0) fail(where, `${JSON.stringify(value)} must be positive`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('KUBEQ_NODE_GROUPS')) throw err;
    fail(where, `${JSON.stringify(value)} is not a quantity`);
  }
  return String(value);
}

function taints(where: string, value: unknown): Taint[] {
  if (value === undefined || value === '') return [];
  const entries: unknown[] = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : fail(where, 'must be `key=value:Effect,…` or a list of taints');
  return entries.map((entry) => {
    if (typeof entry === 'object' && entry) {
      const t = entry as Taint;
      if (!t.key || !EFFECTS.includes(t.effect)) fail(where, `${JSON.stringify(entry)} needs a key and an effect (${EFFECTS.join(', ')})`);
      return { key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect };
    }
    const match = /^([^=:\s]+)(?:=([^:\s]*))?:([A-Za-z]+)$/.exec(String(entry).trim());
    if (!match || !EFFECTS.includes(match[3])) fail(where, `${JSON.stringify(entry)} is not key[=value]:${EFFECTS.join('|')}`);
    return { key: match[1], ...(match[2] ? { value: match[2] } : {}), effect: match[3] as Taint['effect'] };
  });
}

function count(where: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(where, `${JSON.stringify(value)} is not a non-negative integer`);
  return value;
}

/**
 * `[{"name":"ssd","min":0,"max":3,"cpu":"4","memory":"16Gi","pods":110,"labels":{"disktype":"ssd"},
 * "taints":"dedicated=ssd:NoSchedule","zone":"zone-b","provisioningDelay":"90s","instanceType":"m5.xlarge"}]`.
 * Only name and max are required; cpu 4, memory 8Gi, pods 110, min 0, provisioningDelay 1m,
 * instanceType `kubeq.sim` by default. Throws naming the group and field at fault.
 */
export function parseNodeGroups(text: string | undefined): NodeGroup[] {
  if (!text?.trim()) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`KUBEQ_NODE_GROUPS is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new Error('KUBEQ_NODE_GROUPS must be a JSON array of node groups');
  const seen = new Set<string>();
  return raw.map((g: any, i) => {
    if (!g || typeof g !== 'object') fail(`[${i}]`, 'a node group must be an object');
    const name = g.name;
    if (typeof name !== 'string' || !GROUP_NAME.test(name) || name.length > 50) fail(`[${i}].name`, `${JSON.stringify(name)} must be a DNS-1123 label of at most 50 characters`);
    const at = (field: string) => `group ${name}: ${field}`;
    if (seen.has(name)) fail(at('name'), 'appears twice');
    seen.add(name);
    const unknown = Object.keys(g).filter((k) => !KNOWN_FIELDS.includes(k));
    if (unknown.length) fail(at(unknown[0]), `unknown field (known: ${KNOWN_FIELDS.join(', ')})`);
    const min = count(at('min'), g.min, 0);
    const max = count(at('max'), g.max);
    if (max < min) fail(at('max'), `${max} is less than min ${min}`);
    const labels = g.labels ?? {};
    if (typeof labels !== 'object' || Array.isArray(labels)) fail(at('labels'), 'must be an object of strings');
    for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string' || isValidLabelValue(v).length) fail(at(`labels.${k}`), `${JSON.stringify(v)} is not a valid label value`);
    const zone = g.zone ?? '';
    if (typeof zone !== 'string' || isValidLabelValue(zone).length) fail(at('zone'), `${JSON.stringify(zone)} is not a valid label value`);
    const provisioningDelayMs = g.provisioningDelay === undefined ? 60_000 : parseDuration(String(g.provisioningDelay));
    if (provisioningDelayMs === undefined) fail(at('provisioningDelay'), `${JSON.stringify(g.provisioningDelay)} is not a duration (90s, 2m)`);
    return {
      name,
      min,
      max,
      provisioningDelayMs,
      shape: {
        cpu: quantity(at('cpu'), g.cpu, '4'),
        memory: quantity(at('memory'), g.memory, '8Gi'),
        pods: String(count(at('pods'), g.pods === undefined ? undefined : Number(g.pods), 110)),
        labels: labels as Record<string, string>,
        taints: taints(at('taints'), g.taints),
        zone,
        instanceType: typeof g.instanceType === 'string' && g.instanceType ? g.instanceType : 'kubeq.sim',
      },
    };
  });
}

export function parseExpanders(text: string | undefined): ExpanderName[] {
  const names = (text?.trim() || 'random').split(',').map((s) => s.trim());
  for (const name of names) if (!(EXPANDERS as readonly string[]).includes(name)) throw new Error(`KUBEQ_CA_EXPANDER: ${JSON.stringify(name)} is not one of ${EXPANDERS.join(', ')}`);
  return names as ExpanderName[];
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const ms = parseDuration(raw);
  if (ms === undefined) throw new Error(`${name}=${JSON.stringify(raw)} is not a duration (10s, 10m, 1h)`);
  return ms;
}

export function loadAutoscalerSettings(env: NodeJS.ProcessEnv = process.env, timeScale = 1): AutoscalerSettings {
  const threshold = env.KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD ? Number(env.KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD) : 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD=${JSON.stringify(env.KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD)} is not a number between 0 and 1`);
  return {
    timeScale,
    nodeGroups: parseNodeGroups(env.KUBEQ_NODE_GROUPS),
    expanders: parseExpanders(env.KUBEQ_CA_EXPANDER),
    scanIntervalMs: duration(env, 'KUBEQ_CA_SCAN_INTERVAL', 10_000),
    utilizationThreshold: threshold,
    unneededTimeMs: duration(env, 'KUBEQ_CA_SCALE_DOWN_UNNEEDED_TIME', 600_000),
    delayAfterAddMs: duration(env, 'KUBEQ_CA_SCALE_DOWN_DELAY_AFTER_ADD', 600_000),
    delayAfterFailureMs: duration(env, 'KUBEQ_CA_SCALE_DOWN_DELAY_AFTER_FAILURE', 180_000),
    maxNodeProvisionTimeMs: duration(env, 'KUBEQ_CA_MAX_NODE_PROVISION_TIME', 900_000),
  };
}
