/**
 * Container probes, simulated without running anything: a probe's outcome at a moment is read
 * from the pod's script (annotation windows of failure, see profile.ts), and the kubelet's
 * prober rules turn the outcomes into what the container's status shows:
 *
 * - probe k of a run happens at `initialDelaySeconds + k × periodSeconds` after the container
 *   started (upstream's first probe may come up to one period later after a kubelet restart;
 *   kubeq keeps the grid fixed so runs are reproducible);
 * - startup: `started` once a probe succeeds; `failureThreshold` failures in a row first kill
 *   the container. Liveness and readiness are not probed until the container has started;
 * - liveness: `failureThreshold` failures in a row kill the container;
 * - readiness: not ready until `successThreshold` successes in a row, not ready again after
 *   `failureThreshold` failures in a row. Without a readiness probe the container is ready
 *   once started.
 *
 * Everything is an offset in cluster milliseconds from the run's start, so a run's whole
 * timeline is computed at once (pure) and the reconciler comes back at its next change. The
 * windows are finite, so the outcome is constant after the last edge: the scan walks the
 * stretches between edges, never probe by probe.
 */
import type { Window } from './profile';

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export interface Probe {
  kind: ProbeKind;
  initialDelayMs: number;
  periodMs: number;
  successThreshold: number;
  failureThreshold: number;
  /** What upstream's prober reports when this probe fails ("HTTP probe failed with statuscode: 500"). */
  failure: string;
}

export const PROBE_FIELDS: Record<ProbeKind, string> = { startup: 'startupProbe', liveness: 'livenessProbe', readiness: 'readinessProbe' };

const whole = (value: unknown, fallback: number, min: number): number => (Number.isInteger(value) && (value as number) >= min ? (value as number) : fallback);

/** The failure message of upstream's probers, by handler. `podIP` fills tcpSocket's dial error. */
function failureOf(spec: any, podIP: string): string {
  if (spec.httpGet) return 'HTTP probe failed with statuscode: 500';
  if (spec.tcpSocket) return `dial tcp ${podIP}:${spec.tcpSocket.port}: connect: connection refused`;
  if (spec.grpc) return 'service unhealthy (responded with "NOT_SERVING")';
  // exec: upstream reports the command's output, which a simulated command does not have.
  return '';
}

/** The container's probe of `kind` with Kubernetes' defaults (period 10 s, thresholds 1 and 3), or undefined. */
export function probeOf(container: any, kind: ProbeKind, podIP = ''): Probe | undefined {
  const spec = container?.[PROBE_FIELDS[kind]];
  if (!spec || typeof spec !== 'object') return undefined;
  return {
    kind,
    initialDelayMs: whole(spec.initialDelaySeconds, 0, 0) * 1000,
    periodMs: whole(spec.periodSeconds, 10, 1) * 1000,
    // Validation pins liveness and startup to 1.
    successThreshold: kind === 'readiness' ? whole(spec.successThreshold, 1, 1) : 1,
    failureThreshold: whole(spec.failureThreshold, 3, 1),
    failure: failureOf(spec, podIP),
  };
}

/** A stretch of probes with one outcome: probe indexes `first` .. `first + count − 1` (count may be Infinity). */
interface Stretch {
  ok: boolean;
  first: number;
  count: number;
}

const failsAt = (windows: readonly Window[], offset: number) => windows.some((w) => offset >= w.fromMs && offset < w.toMs);

/** The probes at or after `fromMs`, grouped into alternating stretches of success and failure. */
function stretches(probe: Probe, windows: readonly Window[], fromMs: number): Stretch[] {
  const edges = [...new Set([fromMs, ...windows.flatMap((w) => [w.fromMs, w.toMs]).filter((e) => e > fromMs && e < Infinity)])].sort((a, b) => a - b);
  const indexAt = (offset: number) => Math.max(0, Math.ceil((offset - probe.initialDelayMs) / probe.periodMs));
  const out: Stretch[] = [];
  edges.forEach((from, i) => {
    const to = edges[i + 1] ?? Infinity;
    const first = indexAt(from);
    const count = to === Infinity ? Infinity : indexAt(to) - first;
    if (count <= 0) return;
    const ok = !failsAt(windows, from);
    const last = out.at(-1);
    if (last && last.ok === ok) last.count += count;
    else out.push({ ok, first, count });
  });
  return out;
}

/** What one run of a container does: offsets in cluster ms from its start. */
export interface RunTimeline {
  /** When it counts as started; Infinity when the startup probe kills it first. */
  startedMs: number;
  /** Readiness changes in order; before the first it is not ready. */
  ready: { atMs: number; ready: boolean }[];
  /** When a probe has the kubelet kill it. */
  kill?: { atMs: number; probe: Probe };
}

export interface RunProbes {
  startup?: Probe;
  liveness?: Probe;
  readiness?: Probe;
}

export type RunScript = Record<ProbeKind, readonly Window[]>;

export function runTimeline(probes: RunProbes, script: RunScript): RunTimeline {
  const { startup, liveness, readiness } = probes;
  const at = (probe: Probe, index: number) => probe.initialDelayMs + index * probe.periodMs;
  let startedMs = 0;
  if (startup) {
    const [head, next] = stretches(startup, script.startup, 0);
    if (head.ok) startedMs = at(startup, head.first);
    else if (head.count >= startup.failureThreshold) return { startedMs: Infinity, ready: [], kill: { atMs: at(startup, head.first + startup.failureThreshold - 1), probe: startup } };
    else startedMs = at(startup, next.first);
  }
  const killStretch = liveness && stretches(liveness, script.liveness, startedMs).find((s) => !s.ok && s.count >= liveness.failureThreshold);
  const kill = liveness && killStretch ? { atMs: at(liveness, killStretch.first + liveness.failureThreshold - 1), probe: liveness } : undefined;
  if (!readiness) return { startedMs, ready: [{ atMs: startedMs, ready: true }], ...(kill ? { kill } : {}) };
  const ready: RunTimeline['ready'] = [];
  let state = false;
  for (const s of stretches(readiness, script.readiness, startedMs)) {
    const needed = s.ok ? readiness.successThreshold : readiness.failureThreshold;
    if (s.ok === state || s.count < needed) continue;
    state = s.ok;
    ready.push({ atMs: at(readiness, s.first + needed - 1), ready: state });
  }
  return { startedMs, ready, ...(kill ? { kill } : {}) };
}

/** Whether the run is ready `offsetMs` after its start. */
export function readyAt(timeline: RunTimeline, offsetMs: number): boolean {
  return timeline.ready.filter((r) => r.atMs <= offsetMs).at(-1)?.ready ?? false;
}

/** The first moment after `offsetMs` at which the run's started or ready state changes, or its kill; Infinity when none. */
export function nextChange(timeline: RunTimeline, offsetMs: number): number {
  const moments = [timeline.startedMs, ...timeline.ready.map((r) => r.atMs), timeline.kill?.atMs ?? Infinity];
  return Math.min(...moments.filter((m) => m > offsetMs));
}
