import { ProxyRulesStore, type ProxyRulesRecord } from '../shared/netstate/proxy-rules';
import { withCliRedis } from './trace-command';

export type RulesView = 'rules' | 'ipvsadm' | 'routes';

/** What `kubeq proxy rules|routes <node>` prints from a node's last sync. */
export function rulesText(record: ProxyRulesRecord, view: RulesView): string {
  if (view === 'routes') return record.routes.join('\n');
  if (view === 'ipvsadm') {
    if (!record.ipvsadm) throw new Error(`node ${record.node} runs kube-proxy in ${record.mode} mode: no IPVS table (KUBEQ_PROXY_MODE=ipvs has one)`);
    return record.ipvsadm;
  }
  return record.text;
}

/** `kubeq proxy rules <node>`: the rules the node's kube-proxy last wrote, from Redis (REDIS_URL, or the running `kubeq up`'s). */
export async function proxyText(node: string, view: RulesView, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return withCliRedis(env, async (redis, prefix) => {
    const record = await new ProxyRulesStore(redis, prefix).read(node);
    if (!record) throw new Error(`no rules recorded for node ${JSON.stringify(node)}: is the proxy role running, and is that a node's name?`);
    return rulesText(record, view);
  });
}
