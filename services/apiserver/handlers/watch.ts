import type { Request, Response } from 'express';
import { apiVersionOf, asServed, type ResourceInfo } from '../../../shared/api/resource';
import { parseFieldSelector, parseLabelSelector } from '../../../shared/api/selector';
import { badRequest, gone } from '../../../shared/api/status';
import type { KubeObject, WatchEventType } from '../../../shared/api/types';
import { parseEntry } from '../../../shared/store/changelog';
import type { RequestInfo } from '../request';
import { includeObjectOf, toTable, wantsTable } from '../table';
import type { ApiContext } from './context';

type RawEntry = [string, string[]];
const BLOCK_MS = 5000;
const BOOKMARK_EVERY_MS = 60_000;

/**
 * `?watch=true`: newline-delimited JSON events. From `resourceVersion=N` every later change is
 * replayed in order (410 Gone when the log no longer holds them); without one (or with `0`) the
 * current objects come first as ADDED. Objects entering or leaving a selector arrive as ADDED or
 * DELETED, as Kubernetes' watch cache does. Each watch reads the log on its own connection.
 */
export async function watchObjects(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const labels = parseLabelSelector(req.query.labelSelector as string | undefined);
  const fields = parseFieldSelector(req.query.fieldSelector as string | undefined);
  const matches = (o: KubeObject) => (!r.namespace || o.metadata.namespace === r.namespace) && (!r.name || o.metadata.name === r.name) && labels(o) && fields(o);
  const timeoutSeconds = req.query.timeoutSeconds === undefined ? 1800 : Number(req.query.timeoutSeconds);
  const bookmarks = String(req.query.allowWatchBookmarks ?? '') === 'true';
  const rvParam = String(req.query.resourceVersion ?? '');
  const table = wantsTable(req);
  const include = includeObjectOf(req);
  let firstTable = true;

  let from: number;
  const initial: KubeObject[] = [];
  if (rvParam === '' || rvParam === '0') {
    const list = await ctx.store.list(info.resource, { namespace: r.namespace });
    from = Number(list.resourceVersion);
    initial.push(...list.items.filter(matches));
  } else {
    from = Number(rvParam);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rvParam}`);
    await ctx.store.changesSince(from, 1);
  }

  res.status(200).setHeader('Content-Type', 'application/json');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();
  const emit = (type: WatchEventType, object: unknown) => {
    let body = object;
    if (table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      body = toTable(info, [object as KubeObject], include, {}, firstTable);
      firstTable = false;
    } else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') body = asServed(info, object as KubeObject);
    res.write(`${JSON.stringify({ type, object: body })}\n`);
  };
  const seen = new Set<string>();
  for (const obj of initial) {
    seen.add(obj.metadata.uid ?? '');
    emit('ADDED', obj);
  }

  const conn = ctx.redis.duplicate();
  let open = true;
  const close = () => {
    open = false;
    conn.disconnect();
  };
  req.on('close', close);
  const timer = setTimeout(close, Math.max(timeoutSeconds, 1) * 1000);
  const keyPrefix = `${info.resource}/`;
  let last = from;
  let lastBookmark = Date.now();
  try {
    while (open) {
      const reply = (await conn.xread('COUNT', 500, 'BLOCK', BLOCK_MS, 'STREAMS', ctx.store.keys.log, `${last}-0`)) as [string, RawEntry[]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const raw of entries) {
        const event = parseEntry(raw);
        if (event.revision !== last + 1) {
          emit('ERROR', gone(`too old resource version: ${last} (${event.revision - 1})`).toStatus());
          return;
        }
        last = event.revision;
        if (!event.key.startsWith(keyPrefix)) continue;
        const uid = event.object.metadata.uid ?? '';
        const now = matches(event.object);
        const before = seen.has(uid);
        if (event.type === 'DELETED') {
          if (now || before) emit('DELETED', event.object);
          seen.delete(uid);
        } else if (now) {
          emit(before || event.type === 'MODIFIED' ? 'MODIFIED' : 'ADDED', event.object);
          seen.add(uid);
        } else if (before) {
          emit('DELETED', event.object);
          seen.delete(uid);
        }
      }
      if (bookmarks && Date.now() - lastBookmark >= BOOKMARK_EVERY_MS) {
        emit('BOOKMARK', { kind: info.kind, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(last) } });
        lastBookmark = Date.now();
      }
    }
  } catch (err) {
    if (open) throw err;
  } finally {
    clearTimeout(timer);
    req.off('close', close);
    conn.disconnect();
    res.end();
  }
}
