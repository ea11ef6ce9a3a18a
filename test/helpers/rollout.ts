import { eventually } from './eventually';
import type { ApiServerProcess } from './processes';

/**
 * A 50-pod Deployment for the crash tests (kill -9 a role while it is created or rolled out):
 * create it, change its image, and wait until it has settled with exactly its pods.
 */
export interface Rollout {
  readonly name: string;
  readonly replicas: number;
  /** Creates the Deployment with `image`. */
  create(image: string): Promise<void>;
  /** Updates the template's image (a rollout). */
  setImage(image: string): Promise<void>;
  /** The Deployment's pods that are not being deleted. */
  live(): Promise<any[]>;
  replicaSets(): Promise<any[]>;
  /**
   * Waits (up to `timeoutMs`) until the Deployment reports `replicas` updated and available pods of
   * `image` and exactly that many live pods exist; on timeout the error shows the Deployment, pods
   * by phase and node, ReplicaSets and the end of `logs()`.
   */
  settled(image: string, logs: () => string, timeoutMs?: number): Promise<void>;
  /**
   * Expects the end state of one rollout to `image`: two ReplicaSets, the current one at `replicas`
   * and the old one at 0, and exactly `replicas` live pods, all different, all owned by the current one.
   * Answers the pods.
   */
  expectRolledOut(image: string): Promise<any[]>;
}

export function rollout(api: ApiServerProcess, name = 'big', replicas = 50): Rollout {
  const path = `/apis/apps/v1/namespaces/default/deployments`;
  const deployment = async () => (await api.call('GET', `${path}/${name}`)).body;
  const live = async () => ((await api.call('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).body.items as any[]).filter((p) => !p.metadata.deletionTimestamp);
  const replicaSets = async () => (await api.call('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items as any[];
  const explain = async (logs: () => string) => {
    const pods = await live();
    const phases: Record<string, number> = {};
    for (const p of pods) {
      const where = `${p.status?.phase}/${p.spec.nodeName ?? 'unbound'}`;
      phases[where] = (phases[where] ?? 0) + 1;
    }
    const rss = (await replicaSets()).map((r) => [r.metadata.name, r.spec.replicas, r.status]);
    return `deployment ${JSON.stringify((await deployment()).status)}; pods ${pods.length} ${JSON.stringify(phases)}; replicasets ${JSON.stringify(rss)}\n${logs().slice(-2000)}`;
  };
  return {
    name,
    replicas,
    live,
    replicaSets,
    async create(image) {
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
        },
      };
      const created = await api.call('POST', path, manifest);
      if (created.status !== 201) throw new Error(`creating deployment ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    },
    async setImage(image) {
      // Read-modify-write retried on a conflict, as kubectl does: the controller's status writes
      // move the resourceVersion between the read and the write.
      for (let attempt = 1; ; attempt++) {
        const d = await deployment();
        d.spec.template.spec.containers[0].image = image;
        const updated = await api.call('PUT', `${path}/${name}`, d);
        if (updated.status === 200) return;
        if (updated.status !== 409 || attempt === 5) throw new Error(`updating deployment ${name}: ${updated.status} ${JSON.stringify(updated.body)}`);
      }
    },
    async expectRolledOut(image) {
      const pods = await live();
      expect(new Set(pods.map((p) => p.metadata.name)).size).toBe(replicas);
      expect(pods).toHaveLength(replicas);
      const rss = await replicaSets();
      expect(rss).toHaveLength(2);
      const current = rss.find((rs) => rs.spec.template.spec.containers[0].image === image);
      expect(current.spec.replicas).toBe(replicas);
      expect(rss.find((rs) => rs !== current).spec.replicas).toBe(0);
      for (const p of pods) expect(p.metadata.ownerReferences[0].uid).toBe(current.metadata.uid);
      return pods;
    },
    async settled(image, logs, timeoutMs = 60_000) {
      await eventually(async () => {
        const s = (await deployment()).status ?? {};
        const pods = await live();
        const done = s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
        return done && pods.length === replicas && pods.every((p) => p.spec.containers[0].image === image) ? true : undefined;
      }, `${replicas} available pods of ${image}`, timeoutMs, 250).catch(async (err: Error) => {
        throw new Error(`${err.message}: ${await explain(logs)}`);
      });
    },
  };
}
