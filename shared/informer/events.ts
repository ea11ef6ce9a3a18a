import type { KubeObject, ObjectKey } from '../api/types';

/**
 * Where an event came from:
 * - `list`: the initial list (every object arrives as ADDED, like client-go's initial adds);
 * - `watch`: a change-log entry read in order, applied to the cache;
 * - `replay`: a change-log entry delivered again (after a crash, or claimed from a dead consumer);
 *   it may be older than the cache and is not applied to it;
 * - `resync`: made up by a relist after a gap: ADDED for new objects, MODIFIED for every object
 *   still present (changed or not), DELETED for objects that vanished.
 */
export type EventOrigin = 'list' | 'watch' | 'replay' | 'resync';

export interface InformerEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** `pods`, `deployments`, … */
  resource: string;
  key: ObjectKey;
  /** The object after the change; for DELETED its last known state. */
  object: KubeObject;
  /** The cached object the change replaced, when the cache held one (watch and resync only). */
  oldObject?: KubeObject;
  /** The change's revision; for list and resync events the list's revision. */
  revision: number;
  /** W3C traceparent of the write, '' when unknown (list, resync, untraced writes). */
  traceparent: string;
  origin: EventOrigin;
}

/**
 * Maps an event to the keys to reconcile (STYLE rule 3: handlers only turn events into keys).
 * Events can repeat (delivery is at-least-once) and replays can be older than the cache, so a
 * mapper must not keep state. Returning nothing enqueues nothing.
 */
export type KeyMapper = (event: InformerEvent) => ObjectKey[] | void;

/** client-go's ResourceEventHandlerFuncs, returning keys instead of enqueueing them. */
export interface ResourceEventHandlers {
  onAdd?(obj: KubeObject, event: InformerEvent): ObjectKey[] | void;
  onUpdate?(oldObj: KubeObject | undefined, newObj: KubeObject, event: InformerEvent): ObjectKey[] | void;
  onDelete?(obj: KubeObject, event: InformerEvent): ObjectKey[] | void;
}

/** The default mapper: every event enqueues the changed object's own key. */
export const ownKey: KeyMapper = (event) => [event.key];

/**
 * The object's own key, except for an update that left `metadata.generation` as it was (a status
 * write: controller-runtime's GenerationChangedPredicate). For controllers that come back on a
 * period anyway and must not be re-run by their own status writes.
 */
export const generationChangedKey: KeyMapper = (event) => (event.type === 'MODIFIED' && event.oldObject && event.oldObject.metadata.generation === event.object.metadata.generation ? [] : [event.key]);

/** A mapper from client-go style handlers. */
export function fromHandlers(handlers: ResourceEventHandlers): KeyMapper {
  return (event) => {
    switch (event.type) {
      case 'ADDED':
        return handlers.onAdd?.(event.object, event);
      case 'MODIFIED':
        return handlers.onUpdate?.(event.oldObject, event.object, event);
      case 'DELETED':
        return handlers.onDelete?.(event.object, event);
    }
  };
}

/** One mapper per resource; events of resources without one enqueue nothing. */
export function byResource(mappers: Record<string, KeyMapper | ResourceEventHandlers>): KeyMapper {
  const table = new Map(Object.entries(mappers).map(([resource, m]) => [resource, typeof m === 'function' ? m : fromHandlers(m)]));
  return (event) => table.get(event.resource)?.(event);
}

/** The key of an object's controller owner (`ownerReferences[].controller`), in `resource`, or undefined. */
export function controllerKey(obj: KubeObject, resource: string, kind: string): ObjectKey | undefined {
  const owner = obj.metadata.ownerReferences?.find((o) => o.controller && o.kind === kind);
  if (!owner) return undefined;
  return obj.metadata.namespace ? `${resource}/${obj.metadata.namespace}/${owner.name}` : `${resource}/${owner.name}`;
}
