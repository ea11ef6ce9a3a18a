/** Events expire an hour (cluster time) after their last write, as kube-apiserver's --event-ttl has them. */
import { storeEventRecorder } from '../../shared/events/recorder';
import { reconcileEventTtl } from '../../workers/controller-manager/eventttl';
import { loadControllerManagerSettings } from '../../workers/controller-manager/settings';
import { replicaSet, useStore } from './util';

const fx = useStore();
const HOUR = 3_600_000;

test('an Event goes an hour after its last write; a repeat in between moves the hour on', async () => {
  const rs = await fx.store.create('replicasets', replicaSet('web', 1));
  const recorder = storeEventRecorder(fx.store, fx.clock, 'replicaset-controller');
  await recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
  const [event] = (await fx.store.list('events', { namespace: 'default' })).items;
  const key = `events/default/${event.metadata.name}`;

  fx.clock.advance(30 * 60_000);
  expect(await reconcileEventTtl(key, fx.store, fx.clock, HOUR)).toEqual({ requeueAfter: 30 * 60_000 + 999 });
  await recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
  fx.clock.advance(45 * 60_000);
  expect(await reconcileEventTtl(key, fx.store, fx.clock, HOUR)).toEqual({ requeueAfter: 15 * 60_000 + 999 });
  fx.clock.advance(16 * 60_000);
  await reconcileEventTtl(key, fx.store, fx.clock, HOUR);
  expect(await fx.store.get('events', 'default', event.metadata.name!)).toBeUndefined();
});

test('KUBEQ_EVENT_TTL reads Go durations', () => {
  expect(loadControllerManagerSettings({}).eventTtlMs).toBe(HOUR);
  expect(loadControllerManagerSettings({ KUBEQ_EVENT_TTL: '1h30m' }).eventTtlMs).toBe(1.5 * HOUR);
  expect(() => loadControllerManagerSettings({ KUBEQ_EVENT_TTL: 'soon' })).toThrow('KUBEQ_EVENT_TTL must be a duration');
  expect(loadControllerManagerSettings({ KUBEQ_KUBE_API_QPS: '0' })).toMatchObject({ apiQps: 0, apiBurst: 30 });
});
