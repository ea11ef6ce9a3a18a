/** Kubernetes Events (core/v1) that controllers, the scheduler and the kubelet record about the objects they act on. */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../api/types';
import type { Clock } from '../clock';
import { isStatusError } from '../api/status';
import type { Store } from '../store/store';
import { EventCorrelator } from './correlator';
import { rfc3339 } from '../api/time';

export type EventType = 'Normal' | 'Warning';

/**
 * client-go's EventRecorder: an Event per call, correlated as upstream's are (storeEventRecorder).
 * Recording is best effort: `event` never rejects; a failed write goes to the error sink.
 */
export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
}

/** Records nothing (the default where a recorder is optional). */
export const noEvents: EventRecorder = { event: async () => undefined };

/**
 * A recorder that writes Events through the store as `component` (`replicaset-controller`),
 * through client-go's correlator (correlator.ts): spam filter, aggregation of similar events,
 * and `count` bumps for repeats. Errors go to `onError` (default: stderr).
 */
export function storeEventRecorder(store: Store, clock: Clock, component: string, onError: (err: unknown) => void = (err) => console.error(`[${component}] recording an event: ${String(err)}`)): EventRecorder {
  const correlator = new EventCorrelator();
  return {
    async event(obj, type, reason, message) {
      const at = clock.now();
      const now = rfc3339(at);
      const ns = obj.metadata.namespace ?? 'default';
      const involvedObject = {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      };
      const objectId = [obj.apiVersion, obj.kind, ns, obj.metadata.name, obj.metadata.uid].join('/');
      const decision = correlator.correlate({ source: component, object: objectId, type, reason, message }, at.getTime());
      try {
        if (decision.action === 'drop') return;
        if (decision.action === 'update') {
          const { namespace, name } = decision.written;
          const bumped = await store
            .guaranteedUpdate('events', namespace, name, (e) => ({ ...e, message: decision.message, count: (e.count ?? 1) + 1, lastTimestamp: now }))
            .catch((err: unknown) => (isStatusError(err, 404) ? undefined : Promise.reject(err)));
          if (bumped) return;
          correlator.recorded(decision.key, undefined);
        }
        const event: KubeObject = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
          involvedObject,
          reason,
          message: decision.message,
          type,
          source: { component },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          reportingComponent: component,
          reportingInstance: '',
        };
        const created = await store.create('events', event);
        correlator.recorded(decision.key, { namespace: ns, name: created.metadata.name! });
      } catch (err) {
        onError(err);
      }
    },
  };
}
