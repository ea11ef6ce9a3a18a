/**
 * Every Redis key the span sink uses, built in one place. All share `prefix` (a hash tag such
 * as `{kubeq}`), so the trim script may touch span lists it does not list in KEYS under Redis Cluster.
 */
export class SinkKeys {
  constructor(readonly prefix: string) {}

  /** Sorted set: trace id → its last activity (unix ms). Trimmed to the newest traces. */
  get traces(): string {
    return `${this.prefix}:spans:traces`;
  }

  /** List of the JSON span records of one trace, in arrival order. */
  trace(traceId: string): string {
    return `${this.prefix}:spans:trace:${traceId}`;
  }

  /** String: the id of the last trace whose span carried `kubeq.object_key` = `objectKey`. */
  object(objectKey: string): string {
    return `${this.prefix}:spans:object:${objectKey}`;
  }
}
