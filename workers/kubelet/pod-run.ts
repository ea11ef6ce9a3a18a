/**
 * A started pod, moved forward to `now` (pure): the sandbox (pod IP) comes up `startMs` after
 * acceptance; init containers run one after another, each starting when the one before exits
 * 0 (a restartable, sidecar, init container counts once started and keeps running); then the
 * app containers start together. Each container moves on its own (containers.ts) under the
 * pod's restartPolicy — init containers restart only on failure, and under `Never` a failed
 * one fails the pod. The phase and conditions follow the containers as the kubelet's
 * getPhase and status manager derive them.
 */
import type { KubeObject } from '../../shared/api/types';
import { advanceContainer, runningStatus, waitingToStart, type ContainerSim, type KubeletEvent, type SimContext } from './containers';
import { containerSpecs, listed, waitingStatus, withConditions, type Wanted } from './pod-status';
import { containerPlanFor, type Profile } from './profile';

export interface RunInput {
  pod: KubeObject;
  /** Wall ms at which the sandbox came (or comes) up. */
  sandboxAt: number;
  podIP: string;
  now: Date;
  timeScale: number;
  profile: Profile;
  seed: number;
  /** Containers the metrics sampler found over their memory limit, and when (wall ms). */
  overLimit?: ReadonlyMap<string, number>;
}

export interface RunResult {
  status: any;
  /** Wall ms of the pod's next change; Infinity when none is due. */
  nextAt: number;
  events: KubeletEvent[];
}

type Policy = 'Always' | 'OnFailure' | 'Never';

const restartsApp = (policy: Policy) => (exitCode: number) => policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
const restartsInit = (policy: Policy) => (exitCode: number) => exitCode !== 0 && policy !== 'Never';

const stored = (statuses: unknown, name: string): any => (Array.isArray(statuses) ? statuses.find((s) => s?.name === name) : undefined);
const exitCodeOf = (status: any): number | undefined => status.state?.terminated?.exitCode;

export function runPod(input: RunInput): RunResult {
  const { pod } = input;
  const policy: Policy = ['OnFailure', 'Never'].includes(pod.spec?.restartPolicy) ? pod.spec.restartPolicy : 'Always';
  const ctx: SimContext = { pod, podIP: input.podIP, now: input.now.getTime(), timeScale: input.timeScale };
  const events: KubeletEvent[] = [];
  let nextAt = Infinity;
  const run = (sim: ContainerSim, status: any, startAt: number) => {
    const result = advanceContainer(sim, waitingToStart(status) ? runningStatus(pod, sim.spec, status, startAt) : status, ctx);
    events.push(...result.events);
    nextAt = Math.min(nextAt, result.nextAt);
    return result;
  };

  // Init containers, in order, while each lets the next start.
  let startAt = input.sandboxAt;
  let initialized = true;
  let initFailed = false;
  const initSpecs = containerSpecs(pod, 'initContainers');
  const isSidecar = initSpecs.map((spec: any) => spec.restartPolicy === 'Always');
  const initStatuses = initSpecs.map((spec, i) => {
    const old = stored(pod.status?.initContainerStatuses, spec.name) ?? waitingStatus(spec, 'PodInitializing');
    if (!initialized) return old;
    const sidecar = isSidecar[i];
    const sim: ContainerSim = { spec, plan: containerPlanFor(pod, spec.name, sidecar ? 'app' : 'init', input.profile, input.seed), restarts: sidecar ? () => true : restartsInit(policy) };
    const result = run(sim, old, startAt);
    const done = sidecar ? result.startedAt !== undefined : exitCodeOf(result.status) === 0;
    if (done) startAt = sidecar ? result.startedAt! : Date.parse(result.status.state.terminated.finishedAt);
    else {
      initialized = false;
      initFailed = exitCodeOf(result.status) !== undefined && !sim.restarts(exitCodeOf(result.status)!);
    }
    return result.status;
  });

  const appStatuses = containerSpecs(pod).map((spec) => {
    const old = stored(pod.status?.containerStatuses, spec.name) ?? waitingStatus(spec, initStatuses.length ? 'PodInitializing' : 'ContainerCreating');
    if (!initialized) return old;
    const overLimitAt = input.overLimit?.get(spec.name);
    const plan = { ...containerPlanFor(pod, spec.name, 'app', input.profile, input.seed), ...(overLimitAt !== undefined ? { overLimitAt } : {}) };
    return run({ spec, plan, restarts: restartsApp(policy) }, old, startAt).status;
  });

  const phase = phaseOf(initialized, initFailed, appStatuses);
  const sidecars = initStatuses.filter((_s, i) => isSidecar[i]);
  const unready = [...sidecars, ...appStatuses].filter((s) => !s.ready).map((s) => s.name);
  const notReady: Wanted = phase === 'Succeeded' || phase === 'Failed' ? { reason: 'PodCompleted' } : { reason: 'ContainersNotReady', message: listed('unready', unready) };
  const ready: Wanted = unready.length ? notReady : 'True';
  const incomplete = initStatuses.filter((s) => !(exitCodeOf(s) === 0 || s.started)).map((s) => s.name);
  const status = pod.status ?? {};
  return {
    status: {
      ...status,
      phase,
      conditions: withConditions(
        status,
        {
          PodReadyToStartContainers: phase === 'Succeeded' || phase === 'Failed' ? 'False' : 'True',
          Initialized: initialized ? 'True' : { reason: 'ContainersNotInitialized', message: listed('incomplete', incomplete) },
          Ready: ready,
          ContainersReady: ready,
        },
        input.now,
      ),
      podIP: input.podIP,
      podIPs: [{ ip: input.podIP }],
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      containerStatuses: appStatuses,
    },
    nextAt,
    events,
  };
}

/** The kubelet's getPhase for a started pod whose containers have all been moved to now. */
function phaseOf(initialized: boolean, initFailed: boolean, apps: any[]): string {
  if (initFailed) return 'Failed';
  if (!initialized) return 'Pending';
  // Only containers that will not restart stay terminated.
  if (!apps.every((s) => s.state?.terminated)) return 'Running';
  return apps.every((s) => exitCodeOf(s) === 0) ? 'Succeeded' : 'Failed';
}
