import type { KubeObject } from '../../shared/api/types';
import { freeIP, PodAddresses } from './ipam';

test.each([
  ['10.244.0.0/24', [], '10.244.0.2'],
  ['10.244.0.0/24', ['10.244.0.2', '10.244.0.4'], '10.244.0.3'],
  ['10.244.1.0/30', [], '10.244.1.2'],
  ['10.244.1.0/30', ['10.244.1.2'], undefined],
])('freeIP(%s, %j) = %s', (cidr, used, want) => {
  expect(freeIP(cidr, new Set(used))).toBe(want);
});

const pod = (uid: string, podIP?: string, phase = 'Running'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, uid }, status: { phase, ...(podIP ? { podIP } : {}) } });

describe('PodAddresses', () => {
  test("starts from the addresses the node's unfinished pods hold, and hands out the lowest free one", async () => {
    const loads: string[] = [];
    const addresses = new PodAddresses(async (node) => {
      loads.push(node);
      return [pod('a', '10.244.0.2'), pod('done', '10.244.0.3', 'Succeeded'), pod('pending')];
    });
    expect(await addresses.reserve('n0', '10.244.0.0/24', 'a')).toBe('10.244.0.2');
    expect(await addresses.reserve('n0', '10.244.0.0/24', 'b')).toBe('10.244.0.3');
    expect(await addresses.reserve('n0', '10.244.0.0/24', 'b')).toBe('10.244.0.3');
    expect(loads).toEqual(['n0']);
  });

  test('concurrent reservations never share an address', async () => {
    const addresses = new PodAddresses(async () => []);
    const ips = await Promise.all(Array.from({ length: 50 }, (_, i) => addresses.reserve('n0', '10.244.7.0/24', `uid-${i}`)));
    expect(new Set(ips).size).toBe(50);
    expect(ips.every((ip) => ip.startsWith('10.244.7.'))).toBe(true);
  });

  test('a released address is reused', async () => {
    const addresses = new PodAddresses(async () => []);
    await addresses.reserve('n0', '10.244.0.0/24', 'a');
    addresses.release('n0', 'a');
    await Promise.resolve();
    expect(await addresses.reserve('n0', '10.244.0.0/24', 'b')).toBe('10.244.0.2');
  });

  test('a full range reads the store again before giving up', async () => {
    let stored = [pod('gone', '10.244.1.2')];
    const addresses = new PodAddresses(async () => stored);
    await addresses.reserve('n0', '10.244.1.0/30', 'gone');
    stored = [];
    expect(await addresses.reserve('n0', '10.244.1.0/30', 'new')).toBe('10.244.1.2');
    stored = [pod('new', '10.244.1.2')];
    await expect(addresses.reserve('n0', '10.244.1.0/30', 'third')).rejects.toThrow('no free pod IP in 10.244.1.0/30 on n0');
  });
});
