/**
 * The closed set of plugin results (kube-scheduler's framework.Code, the four codes this
 * scheduler uses). A status carries human-readable reasons; the FitError counts them per node.
 */

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

export interface Status {
  readonly code: Code;
  /** Kubernetes' wording (`Insufficient cpu`); empty for Success. */
  readonly reasons: readonly string[];
  /** The plugin that returned it; the framework fills this in. */
  readonly plugin?: string;
}

const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] });

export function success(): Status {
  return SUCCESS;
}

/** Rejected for now: something in the cluster (pods leaving, resources freed) may change that. */
export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

/** Rejected in a way only a change to the node itself (labels, taints, capacity) can undo. */
export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** An internal failure: the whole scheduling attempt fails and is retried. */
export function errorStatus(message: string): Status {
  return { code: 'Error', reasons: [message] };
}

export function isSuccess(s: Status): boolean {
  return s.code === 'Success';
}

/** Unschedulable or UnschedulableAndUnresolvable: the node (or pod) was rejected, not failed. */
export function isRejected(s: Status): boolean {
  return s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';
}

export function withPlugin(s: Status, plugin: string): Status {
  return s.plugin === plugin ? s : { ...s, plugin };
}

/** Reasons joined as upstream's Status.Message(). */
export function message(s: Status): string {
  return s.reasons.join(', ');
}
