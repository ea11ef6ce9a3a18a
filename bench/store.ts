// npm run bench:store — store writes/s and latency at 1, 10 and 100 concurrent writers, change-log
// read throughput, and Redis commands per write. Prints a table and a JSON line.
// Options: --writes N (per concurrency level, default 20000), REDIS_URL (else a private redis-server).
import { SingleBar, Presets } from 'cli-progress';
import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { lookupResourceByName } from '../shared/api/registry';
import type { KubeObject } from '../shared/api/types';
import { Store } from '../shared/store/store';
import { benchRedis, commandsProcessed } from './redis';
import { summarize } from './stats';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** A pod-sized ConfigMap (≈1.6 KB), the object size STACK.md's prototype measured with. */
function object(i: number): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bench-${i}`, namespace: 'default', labels: { app: 'bench', shard: String(i % 16) } }, data: { payload: 'x'.repeat(1400) } };
}

async function writeLevel(store: Store, concurrency: number, writes: number, bar: SingleBar, offset: number) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < writes; i = next++) {
        const t0 = performance.now();
        await store.create('configmaps', object(offset + i));
        latencies.push(performance.now() - t0);
        bar.increment();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { concurrency, writes, writesPerSecond: Math.round(writes / seconds), latencyMs: summarize(latencies) };
}

async function main() {
  const writes = arg('writes', 20_000);
  const levels = [1, 10, 100];
  const redisHandle = await benchRedis();
  const redis = new Redis(redisHandle.url, { maxRetriesPerRequest: null });
  const prefix = `{bench-${Date.now()}}`;
  const store = new Store(redis, { prefix, resources: lookupResourceByName, logMaxLen: 1_000_000 });
  const bar = new SingleBar({ format: 'store writes |{bar}| {value}/{total} {eta_formatted} left', hideCursor: true }, Presets.shades_classic);
  bar.start(writes * levels.length, 0);
  const results = [];
  const before = await commandsProcessed(redis);
  for (const [i, c] of levels.entries()) results.push(await writeLevel(store, c, writes, bar, i * writes));
  const after = await commandsProcessed(redis);
  bar.stop();
  const commandsPerWrite = Math.round(((after - before) / (writes * levels.length)) * 100) / 100;

  const t0 = performance.now();
  let read = 0;
  for (let rev = 0; ; ) {
    const batch = await store.changesSince(rev, 1000);
    if (batch.length === 0) break;
    read += batch.length;
    rev = batch[batch.length - 1].revision;
  }
  const readPerSecond = Math.round(read / ((performance.now() - t0) / 1000));

  console.log('\nconcurrency  writes/s  p50 ms  p90 ms  p99 ms  max ms');
  for (const r of results) {
    console.log(`${String(r.concurrency).padStart(11)}  ${String(r.writesPerSecond).padStart(8)}  ${r.latencyMs.p50.toFixed(2).padStart(6)}  ${r.latencyMs.p90.toFixed(2).padStart(6)}  ${r.latencyMs.p99.toFixed(2).padStart(6)}  ${r.latencyMs.max.toFixed(2).padStart(6)}`);
  }
  console.log(`change-log read: ${readPerSecond} entries/s (${read} entries); Redis commands per write: ${commandsPerWrite}`);
  console.log(JSON.stringify({ bench: 'store', writes, results, changeLogReadPerSecond: readPerSecond, redisCommandsPerWrite: commandsPerWrite }));
  redis.disconnect();
  redisHandle.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
