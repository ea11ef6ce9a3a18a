/** The event recorder against a real store: client-go's correlation decides what gets written. */
import { storeEventRecorder } from '../../shared/events/recorder';
import { replicaSet, useStore } from './util';

const fx = useStore();

test('a ReplicaSet creating 40 pods writes 9 Events and one combined Event, then the spam filter drops the rest', async () => {
  const rs = await fx.store.create('replicasets', replicaSet('web', 40));
  const recorder = storeEventRecorder(fx.store, fx.clock, 'replicaset-controller');
  for (let i = 0; i < 40; i++) await recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
  const events = (await fx.store.list('events', { namespace: 'default' })).items;
  expect(events).toHaveLength(10);
  const combined = events.find((e) => e.message.startsWith('(combined from similar events): '))!;
  // 25 tokens: 9 single events, then 16 into the combined one.
  expect(combined).toMatchObject({ count: 16, message: '(combined from similar events): Created pod: web-24', reason: 'SuccessfulCreate', involvedObject: { kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid } });
  expect(events.filter((e) => e !== combined).map((e) => e.count)).toEqual(Array(9).fill(1));
});

test('a repeated event bumps count and lastTimestamp of the one Event', async () => {
  const rs = await fx.store.create('replicasets', replicaSet('web', 1));
  const recorder = storeEventRecorder(fx.store, fx.clock, 'default-scheduler');
  await recorder.event(rs, 'Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.');
  fx.clock.advance(10_000);
  await recorder.event(rs, 'Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.');
  const [event, ...more] = (await fx.store.list('events', { namespace: 'default' })).items;
  expect(more).toEqual([]);
  expect(event).toMatchObject({ count: 2, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:10Z' });
});
