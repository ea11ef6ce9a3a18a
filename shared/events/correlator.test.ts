import { COMBINED_PREFIX, EventCorrelator, SPAM_REFILL_MS, type EventFacts } from './correlator';

const facts = (message: string, extra: Partial<EventFacts> = {}): EventFacts => ({ source: 'replicaset-controller', object: 'ReplicaSet/default/web-abc/uid-1', type: 'Normal', reason: 'SuccessfulCreate', message, ...extra });

/** Plays events through a correlator, recording every create as written; returns the actions and messages. */
function play(c: EventCorrelator, events: EventFacts[], at = () => 0): string[] {
  return events.map((e, i) => {
    const d = c.correlate(e, at());
    if (d.action === 'create') c.recorded(d.key, { namespace: 'default', name: `e${i}` });
    return d.action === 'drop' ? 'drop' : `${d.action} ${d.message}`;
  });
}

test('an identical event bumps the one written instead of writing another', () => {
  expect(play(new EventCorrelator(), [facts('Created pod: a'), facts('Created pod: a')])).toEqual(['create Created pod: a', 'update Created pod: a']);
});

test('from the tenth different message on, similar events are combined into one', () => {
  const got = play(new EventCorrelator(), Array.from({ length: 12 }, (_, i) => facts(`Created pod: p${i}`)));
  expect(got.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `create Created pod: p${i}`));
  expect(got.slice(9)).toEqual([`create ${COMBINED_PREFIX}Created pod: p9`, `update ${COMBINED_PREFIX}Created pod: p10`, `update ${COMBINED_PREFIX}Created pod: p11`]);
});

test('other reasons, types and objects are counted apart', () => {
  const c = new EventCorrelator();
  play(c, Array.from({ length: 9 }, (_, i) => facts(`Created pod: p${i}`)));
  expect(play(c, [facts('Deleted pod: p1', { reason: 'SuccessfulDelete' }), facts('Created pod: q', { object: 'ReplicaSet/default/other/uid-2' })])).toEqual(['create Deleted pod: p1', 'create Created pod: q']);
});

test('the spam filter lets 25 events per source and object through, then one per 5 minutes', () => {
  const c = new EventCorrelator();
  let now = 0;
  const got = play(c, Array.from({ length: 30 }, () => facts('Created pod: same')), () => now);
  expect(got.filter((g) => g === 'drop')).toHaveLength(5);
  expect(got.slice(0, 25).every((g) => g !== 'drop')).toBe(true);
  now = SPAM_REFILL_MS;
  expect(play(c, [facts('Created pod: same'), facts('Created pod: same')], () => now)).toEqual(['update Created pod: same', 'drop']);
});

test('a gone Event is written again', () => {
  const c = new EventCorrelator();
  const first = c.correlate(facts('x'), 0);
  c.recorded(first.action === 'create' ? first.key : '', { namespace: 'default', name: 'e0' });
  const second = c.correlate(facts('x'), 0);
  expect(second.action).toBe('update');
  if (second.action === 'update') c.recorded(second.key, undefined);
  expect(c.correlate(facts('x'), 0).action).toBe('create');
});
