/** `kubectl get pods` columns and rows, ported from printPod in pkg/printers/internalversion/printers.go. */
import { translateTimestampSince } from '../age';
import type { TableColumn } from '../resource';
import type { KubeObject } from '../types';
import { ageCell, ageColumn, column, metaOf, nameColumn, objectsOf } from './common';

export const podColumns: TableColumn[] = [
  nameColumn(),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn(),
  column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column('Node', 'string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', 1),
  column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', 1),
  column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', 1),
];

type Status = Record<string, any>;

const finishedAt = (s: Status): number => {
  const t = Date.parse(s.lastState?.terminated?.finishedAt ?? '');
  return Number.isNaN(t) ? 0 : t;
};

function hasCondition(pod: KubeObject, type: string): boolean {
  return objectsOf(pod.status?.conditions).some((c) => c.type === type && c.status === 'True');
}

interface InitState {
  reason?: string;
  initializing: boolean;
  ready: number;
  /** Restarts and latest restart of the init containers seen up to the one still blocking. */
  restarts: number;
  lastRestart: number;
  /** The same for restartable (sidecar) init containers only. */
  sidecarRestarts: number;
  sidecarLastRestart: number;
}

/** Walks init containers as printPod does, stopping at the first one that is not done. */
function initState(pod: KubeObject, sidecars: Set<string>): InitState {
  const st: InitState = { initializing: false, ready: 0, restarts: 0, lastRestart: 0, sidecarRestarts: 0, sidecarLastRestart: 0 };
  const total = objectsOf(pod.spec?.initContainers).length;
  const statuses = objectsOf(pod.status?.initContainerStatuses);
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i];
    st.restarts += c.restartCount ?? 0;
    st.lastRestart = Math.max(st.lastRestart, finishedAt(c));
    if (sidecars.has(c.name)) {
      st.sidecarRestarts += c.restartCount ?? 0;
      st.sidecarLastRestart = Math.max(st.sidecarLastRestart, finishedAt(c));
    }
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started === true) {
      if (c.ready) st.ready++;
      continue;
    }
    const waiting = c.state?.waiting?.reason;
    if (term) st.reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
    else if (waiting && waiting !== 'PodInitializing') st.reason = `Init:${waiting}`;
    else st.reason = `Init:${i}/${total}`;
    st.initializing = true;
    break;
  }
  return st;
}

/** NAME READY STATUS RESTARTS AGE, then (wide) IP NODE NOMINATED NODE READINESS GATES. */
export function podRow(pod: KubeObject, now: Date): unknown[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  if (objectsOf(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';
  const sidecars = new Set(objectsOf(spec.initContainers).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = objectsOf(spec.containers).length + sidecars.size;

  const init = initState(pod, sidecars);
  let { ready, restarts, lastRestart } = init;
  if (init.reason) reason = init.reason;

  if (!init.initializing || hasCondition(pod, 'Initialized')) {
    restarts = init.sidecarRestarts;
    lastRestart = init.sidecarLastRestart;
    let hasRunning = false;
    const statuses = objectsOf(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(c));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = Boolean(metaOf(pod).deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const sinceRestart = lastRestart !== 0 ? translateTimestampSince(new Date(lastRestart).toISOString(), now) : '';
  const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${sinceRestart} ago)` : String(restarts);
  const gates = objectsOf(spec.readinessGates);
  const conditions = objectsOf(status.conditions);
  const trueGates = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return [
    metaOf(pod).name ?? '',
    `${ready}/${total}`,
    reason,
    restartsCell,
    ageCell(pod, now),
    objectsOf(status.podIPs)[0]?.ip || '<none>',
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    gates.length ? `${trueGates}/${gates.length}` : '<none>',
  ];
}
