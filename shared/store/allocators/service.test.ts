import type { KubeObject } from '../../api/types';
import { services } from '../../api/kinds/service';
import { serviceNetwork, type Range } from '../../net/service-network';
import type { FreeValues } from '../claims';
import { serviceAllocator } from './service';

const net = serviceNetwork({ nodePortRange: '30000-30099' });
const allocator = serviceAllocator(net);

/** An in-memory pool: the first free value from the dynamic band on, then the lower band, as a fresh Redis pool answers. */
function pools(taken: string[] = []): FreeValues {
  const used = new Set(taken);
  return {
    async next(_pool: string, range: Range, exclude: Set<string>) {
      for (let i = 0; i < range.size; i++) {
        const o = (range.dynamicFrom + i) % range.size;
        const v = range.valueAt(o);
        if (!used.has(v) && !exclude.has(v) && !range.reserved.has(o)) return v;
      }
      return undefined;
    },
  };
}

function service(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec }, status };
  services.defaults(obj);
  return obj;
}

describe('service allocator', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['ClusterIP', {}, { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'] }, ['serviceips/10.96.1.1']],
    ['requested ClusterIP', { clusterIP: '10.96.0.10' }, { clusterIP: '10.96.0.10' }, ['serviceips/10.96.0.10']],
    ['headless', { clusterIP: 'None' }, { clusterIPs: ['None'] }, []],
    ['ExternalName', { type: 'ExternalName', externalName: 'x.example', ports: undefined }, { type: 'ExternalName' }, []],
    ['NodePort', { type: 'NodePort' }, { ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30016 }] }, ['serviceips/10.96.1.1', 'nodeports/30016']],
    [
      'NodePort shared by protocol',
      { type: 'NodePort', ports: [{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }, { name: 'c', port: 54, nodePort: 30016 }] },
      { ports: [expect.objectContaining({ nodePort: 30017 }), expect.objectContaining({ nodePort: 30017 }), expect.objectContaining({ nodePort: 30016 })] },
      ['serviceips/10.96.1.1', 'nodeports/30017', 'nodeports/30016'],
    ],
    ['LoadBalancer without NodePorts', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }, ['serviceips/10.96.1.1', 'loadbalancerips/172.20.64.1']],
    ['LoadBalancer Local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, { healthCheckNodePort: 30017 }, ['serviceips/10.96.1.1', 'nodeports/30016', 'nodeports/30017', 'loadbalancerips/172.20.64.1']],
  ])('%s', async (_name, spec, want, held) => {
    const obj = service(spec);
    await allocator.assign(obj, undefined, pools());
    expect(obj.spec).toMatchObject(want);
    expect(allocator.held(obj).map((c) => `${c.pool}/${c.value}`)).toEqual(held);
  });

  it('skips taken values and never hands out the DNS address', async () => {
    const obj = service({});
    await allocator.assign(obj, undefined, pools(['10.96.1.1', '10.96.1.2']));
    expect(obj.spec.clusterIP).toBe('10.96.1.3');
    const small = serviceAllocator(serviceNetwork({ serviceCIDR: '10.0.0.0/28' }));
    const all = Array.from({ length: 14 }, (_, i) => `10.0.0.${i + 1}`).filter((ip) => ip !== '10.0.0.10' && ip !== '10.0.0.3');
    const last = service({});
    await small.assign(last, undefined, pools(all));
    expect(last.spec.clusterIP).toBe('10.0.0.3');
    await expect(small.assign(service({}), undefined, pools([...all, '10.0.0.3']))).rejects.toThrow('failed to allocate a serviceIP: range is full');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['IP out of range', { clusterIP: '10.0.0.1' }, 'Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1"]: failed to allocate IP 10.0.0.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ['port out of range', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }, 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is not in the valid range. The range of valid ports is 30000-30099'],
  ])('refuses %s', async (_name, spec, message) => {
    await expect(allocator.assign(service(spec), undefined, pools())).rejects.toThrow(message);
  });

  it('names the error a requested value answers when taken', async () => {
    const claims = await allocator.assign(service({ type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30050 }] }), undefined, pools());
    expect(claims.map((c) => `${c.takenError?.field}: ${c.takenError?.detail}`)).toEqual([
      'spec.clusterIPs: Invalid value: ["10.96.0.50"]: failed to allocate IP 10.96.0.50: provided IP is already allocated',
      'spec.ports[0].nodePort: Invalid value: 30050: provided port is already allocated',
    ]);
  });

  it('gives a LoadBalancer address up when the type changes', async () => {
    const obj = service({ type: 'ClusterIP', clusterIP: '10.96.1.1' }, { loadBalancer: { ingress: [{ ip: '172.20.64.1', ipMode: 'VIP' }] } });
    await allocator.assign(obj, undefined, pools());
    expect(obj.status).toEqual({ loadBalancer: {} });
    expect(allocator.held(obj).map((c) => c.pool)).toEqual(['serviceips']);
  });
});
