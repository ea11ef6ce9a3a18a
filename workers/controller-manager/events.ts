/** Kubernetes Events (core/v1) that the controllers of this role record about the objects they act on. */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { Store } from '../../shared/store/store';

export type EventType = 'Normal' | 'Warning';

/**
 * client-go's EventRecorder, reduced: one Event per call (no aggregation into `count`).
 * Recording is best effort: `event` never rejects; a failed write goes to the error sink.
 */
export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
}

/** Records nothing (the default where a recorder is optional). */
export const noEvents: EventRecorder = { event: async () => undefined };

/** A recorder that writes Events through the store as `component` (`replicaset-controller`). Errors go to `onError` (default: stderr). */
export function storeEventRecorder(store: Store, clock: Clock, component: string, onError: (err: unknown) => void = (err) => console.error(`[${component}] recording an event: ${String(err)}`)): EventRecorder {
  return {
    async event(obj, type, reason, message) {
      const now = clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const ns = obj.metadata.namespace ?? 'default';
      const event: KubeObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: component,
        reportingInstance: '',
      };
      try {
        await store.create('events', event);
      } catch (err) {
        onError(err);
      }
    },
  };
}
