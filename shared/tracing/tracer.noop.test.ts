import { trace } from '@opentelemetry/api';
import { currentTraceparent, traceIdOf } from './propagation';
import { withSpan } from './tracer';

// No SDK is started in this file: the tracer is the API's no-op one.
describe('withSpan without a started SDK', () => {
  test('runs fn and returns its value, sync and async', async () => {
    expect(withSpan('store create', {}, () => 1)).toBe(1);
    await expect(withSpan('store create', {}, async () => 2)).resolves.toBe(2);
  });

  test('errors are rethrown', async () => {
    expect(() => withSpan('x', {}, () => { throw new Error('no-op but thrown'); })).toThrow('no-op but thrown');
    await expect(withSpan('x', {}, async () => { throw new Error('rejected'); })).rejects.toThrow('rejected');
  });

  test('spans are non-recording and add no trace context of their own', () => {
    withSpan('x', {}, (span) => {
      expect(span.isRecording()).toBe(false);
      expect(currentTraceparent()).toBe('');
    });
  });

  test('the span given to fn carries the parent it was handed (no context manager: nothing becomes active)', () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traceId = withSpan('reconcile Pod', { parentTraceparent: tp }, (span) => {
      expect(trace.getActiveSpan()).toBeUndefined();
      return span.spanContext().traceId;
    });
    expect(traceId).toBe(traceIdOf(tp));
  });
});
