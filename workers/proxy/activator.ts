/**
 * Scale to zero, as Knative's activator and autoscaler do it for a Service that opts in: with
 * the annotation `sim.kubeq.io/scale-to-zero: "true"` the workload behind it (the Deployment
 * named by `sim.kubeq.io/scale-target`, else the one whose pod template the Service selects)
 *
 * - goes to 0 replicas once no load has sent the Service anything for
 *   `sim.kubeq.io/scale-to-zero-idle` (default 60s of cluster time);
 * - while it has no ready endpoint, requests are held here (the activator) instead of being
 *   rejected, and a scale from zero to 1 is asked for through the Deployment's replicas;
 * - when the first endpoint is Ready the held requests are released and served, and the cold
 *   start — from the first held request to the release — is a span with its numbers.
 *
 * The activator's memory per Service (last traffic, requests held, since when) lives in a Redis
 * hash beside the store, so any proxy process can pick it up.
 */
import { context, trace } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { selectorMatches } from '../../shared/api/validation/labels';
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { EventRecorder } from '../../shared/events/recorder';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';
import { durationMs } from '../../shared/load/shape';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';

export const SCALE_TO_ZERO_ANNOTATION = 'sim.kubeq.io/scale-to-zero';
export const IDLE_ANNOTATION = 'sim.kubeq.io/scale-to-zero-idle';
export const TARGET_ANNOTATION = 'sim.kubeq.io/scale-target';
export const DEFAULT_IDLE_MS = 60_000;

export interface ScaleToZero {
  idleMs: number;
  /** The Deployment's name, or why there is none. */
  deployment?: string;
  problem?: string;
}

/** The Service's scale-to-zero settings, or undefined when it has not opted in. */
export function scaleToZeroOf(service: KubeObject, cache: Indexer): ScaleToZero | undefined {
  const a = service.metadata.annotations ?? {};
  if (a[SCALE_TO_ZERO_ANNOTATION] !== 'true') return undefined;
  const idleMs = durationMs(a[IDLE_ANNOTATION]) ?? DEFAULT_IDLE_MS;
  const named = a[TARGET_ANNOTATION];
  if (named) {
    const [kind, name] = named.includes('/') ? named.split('/') : ['deployment', named];
    if (!/^deployments?(\.apps)?$/i.test(kind)) return { idleMs, problem: `${TARGET_ANNOTATION}: only a deployment/<name> can scale to zero, not ${named}` };
    return { idleMs, deployment: name };
  }
  const selector = service.spec?.selector;
  const match = cache
    .byIndex(NAMESPACE_INDEX, service.metadata.namespace!, 'deployments')
    .filter((d) => selector && Object.keys(selector).length && selectorMatches({ matchLabels: selector }, d.spec?.template?.metadata?.labels))
    .sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1))[0];
  return match ? { idleMs, deployment: match.metadata.name } : { idleMs, problem: `no Deployment in ${service.metadata.namespace} runs the pods Service ${service.metadata.name} selects` };
}

/** Whether any EndpointSlice of the Service has a ready endpoint. */
export function hasReadyEndpoint(service: KubeObject, cache: Indexer): boolean {
  return cache
    .byIndex(NAMESPACE_INDEX, service.metadata.namespace!, 'endpointslices')
    .some((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name && (s.endpoints ?? []).some((e: any) => e.conditions?.ready !== false));
}

interface Memory {
  /** Wall ms of the last sync that sent the Service something. */
  lastActive?: number;
  /** Wall ms of the first request held since the endpoints went away. */
  heldSince?: number;
  /** Requests held so far. */
  held?: number;
}

export class Activator {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly timeScale: number,
  ) {}

  private key(service: KubeObject): string {
    return `${this.prefix}:activator:${service.metadata.namespace}/${service.metadata.name}`;
  }

  private async read(service: KubeObject): Promise<Memory> {
    const raw = await this.redis.hgetall(this.key(service));
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    return { lastActive: num(raw.lastActive), heldSince: num(raw.heldSince), held: num(raw.held) };
  }

  /** Traffic reached the Service this sync. */
  async active(service: KubeObject, now: number): Promise<void> {
    await this.redis.hset(this.key(service), 'lastActive', now);
  }

  /** Asks the Deployment for `replicas`; true when it changed them. */
  private async scale(service: KubeObject, deployment: string, from: number, to: number, why: string): Promise<boolean> {
    let changed = false;
    await this.store
      .guaranteedUpdate('deployments', service.metadata.namespace, deployment, (d) => {
        if ((d.spec?.replicas ?? 1) !== from) return undefined;
        changed = true;
        return { ...d, spec: { ...d.spec, replicas: to } };
      })
      .catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      });
    if (changed) await this.recorder.event(service, 'Normal', to === 0 ? 'ScaledToZero' : 'ScalingFromZero', why);
    return changed;
  }

  /**
   * Requests that found no ready endpoint: held, and the Deployment asked to scale from zero.
   * Returns what the Load's status says about it.
   */
  async hold(service: KubeObject, s2z: ScaleToZero, requests: number, cache: Indexer, now: number): Promise<string> {
    if (!s2z.deployment) return `held by the activator, but ${s2z.problem}`;
    const memory = await this.read(service);
    const tx = this.redis.multi().hset(this.key(service), 'lastActive', now).hincrbyfloat(this.key(service), 'held', requests);
    if (memory.heldSince === undefined) tx.hset(this.key(service), 'heldSince', now);
    await tx.exec();
    const replicas = cache.get(`deployments/${service.metadata.namespace}/${s2z.deployment}`)?.spec?.replicas ?? 0;
    if (replicas === 0) await this.scale(service, s2z.deployment, 0, 1, `deployment ${s2z.deployment} scaled from 0 to 1: requests arrived for Service ${service.metadata.name}`);
    return `held by the activator: deployment ${s2z.deployment} is scaling from zero`;
  }

  /**
   * The Service has a ready endpoint again: the held requests go to it. Traces the cold start
   * (first held request → release) and returns how many requests were released, and after how
   * long (cluster ms); undefined when nothing was held.
   */
  async release(service: KubeObject, s2z: ScaleToZero, now: number): Promise<{ requests: number; coldStartMs: number } | undefined> {
    const memory = await this.read(service);
    if (memory.heldSince === undefined) return undefined;
    await this.redis.hdel(this.key(service), 'heldSince', 'held');
    const requests = memory.held ?? 0;
    const coldStartMs = (now - memory.heldSince) * this.timeScale;
    const span = trace.getTracer('kubeq').startSpan(`activator cold start ${service.metadata.namespace}/${service.metadata.name}`, { startTime: memory.heldSince, attributes: { 'kubeq.activator.service': service.metadata.name!, 'kubeq.activator.deployment': s2z.deployment ?? '', 'kubeq.activator.held_requests': Math.round(requests * 100) / 100, 'kubeq.activator.cold_start_ms': Math.round(coldStartMs) } }, context.active());
    span.end(now);
    await this.recorder.event(service, 'Normal', 'ColdStartServed', `released ${Math.round(requests)} held requests to the first ready endpoint after a ${(coldStartMs / 1000).toFixed(1)}s cold start`);
    return { requests, coldStartMs };
  }

  /** The idle check of a Service (keyed `services/<ns>/<name>` on the loads queue): scale to zero after the idle period. */
  async idleCheck(service: KubeObject, cache: Indexer): Promise<ReconcileResult | void> {
    const s2z = scaleToZeroOf(service, cache);
    if (!s2z?.deployment) return;
    const now = this.clock.now().getTime();
    const memory = await this.read(service);
    if (memory.lastActive === undefined) {
      // Idle from now on: the first check starts the clock.
      await this.active(service, now);
      return { requeueAfter: this.clock.scaled(s2z.idleMs) };
    }
    const idleFor = (now - memory.lastActive) * this.timeScale;
    const replicas = cache.get(`deployments/${service.metadata.namespace}/${s2z.deployment}`)?.spec?.replicas ?? 0;
    if (idleFor >= s2z.idleMs && replicas > 0 && memory.heldSince === undefined) {
      await this.scale(service, s2z.deployment, replicas, 0, `deployment ${s2z.deployment} scaled from ${replicas} to 0: no requests for Service ${service.metadata.name} in ${Math.round(idleFor / 1000)}s`);
    }
    // Back when the idle period could next run out; once idle, every half period (traffic arrives through the loads, not as events).
    const wait = idleFor < s2z.idleMs ? s2z.idleMs - idleFor : s2z.idleMs / 2;
    return { requeueAfter: this.clock.scaled(Math.max(1000, wait)) };
  }
}
