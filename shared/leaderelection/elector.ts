import { isStatusError } from '../api/status';
import type { KubeObject } from '../api/types';
import type { Clock } from '../clock';
import type { Store } from '../store/store';

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does:
 * a candidate takes the lease when it is free or its holder stopped renewing for
 * `leaseDurationSeconds`; the leader renews every `retryPeriodSeconds` and gives up (calls
 * `onLost`) when it could not renew within `renewDeadlineSeconds`. Every write is a
 * resourceVersion compare-and-swap through the store, so two candidates never both win.
 * Periods are cluster time (scaled by the clock).
 */
export interface ElectorOptions {
  store: Store;
  clock: Clock;
  /** Lease namespace and name, e.g. `kube-system` / `kube-scheduler`. */
  namespace: string;
  name: string;
  /** This candidate, e.g. `<hostname>_<uuid>`. */
  identity: string;
  /** Default 15 s (kube-scheduler's). */
  leaseDurationSeconds?: number;
  /** Default 10 s. */
  renewDeadlineSeconds?: number;
  /** Default 2 s. */
  retryPeriodSeconds?: number;
}

/** `2026-11-23T11:35:36.123456Z`: a MicroTime, as Leases carry. */
function microTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export class LeaderElector {
  private readonly duration: number;
  private readonly renewDeadline: number;
  private readonly retry: number;
  private stopped = false;

  constructor(private readonly opts: ElectorOptions) {
    this.duration = opts.leaseDurationSeconds ?? 15;
    this.renewDeadline = opts.renewDeadlineSeconds ?? 10;
    this.retry = opts.retryPeriodSeconds ?? 2;
  }

  /** Resolves once this candidate holds the lease; retries every retry period until then (or until stop). */
  async acquire(onWaiting?: (holder: string) => void): Promise<void> {
    let told = '';
    while (!this.stopped) {
      const holder = await this.tryAcquireOrRenew();
      if (holder === this.opts.identity) return;
      if (holder !== told) onWaiting?.((told = holder));
      await this.opts.clock.sleep(this.retry * 1000);
    }
    throw new Error('leader election stopped');
  }

  /** Renews every retry period; calls `onLost` once when the lease could not be renewed within the renew deadline. */
  keepRenewing(onLost: () => void): void {
    let lastRenew = Date.now();
    const loop = async () => {
      while (!this.stopped) {
        await this.opts.clock.sleep(this.retry * 1000);
        if (this.stopped) return;
        const holder = await this.tryAcquireOrRenew().catch(() => '');
        if (holder === this.opts.identity) lastRenew = Date.now();
        else if (holder !== '' || Date.now() - lastRenew > this.opts.clock.scaled(this.renewDeadline * 1000)) {
          this.stopped = true;
          onLost();
          return;
        }
      }
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
  }

  /** One attempt: returns the identity holding the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<string> {
    const { store, namespace, name, identity, clock } = this.opts;
    const now = clock.now();
    const spec = (lease?: KubeObject) => ({
      holderIdentity: identity,
      leaseDurationSeconds: this.duration,
      acquireTime: lease?.spec?.holderIdentity === identity ? lease.spec.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + (lease && lease.spec?.holderIdentity !== identity ? 1 : 0),
    });
    const lease = await store.get('leases', namespace, name);
    if (!lease) {
      try {
        await store.create('leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: spec() });
        return identity;
      } catch (err) {
        if (isStatusError(err, 409)) return '';
        throw err;
      }
    }
    const holder: string = lease.spec?.holderIdentity ?? '';
    const renewed = Date.parse(lease.spec?.renewTime ?? '') || 0;
    const expired = now.getTime() - renewed > clock.scaled((lease.spec?.leaseDurationSeconds ?? this.duration) * 1000);
    if (holder && holder !== identity && !expired) return holder;
    try {
      await store.update('leases', { ...lease, spec: { ...lease.spec, ...spec(lease) } });
      return identity;
    } catch (err) {
      if (isStatusError(err, 409)) return '';
      throw err;
    }
  }
}
