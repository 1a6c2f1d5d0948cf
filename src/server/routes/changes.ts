/**
 * The journal's routes, mounted below `/api/sites/:siteId` after the session middleware:
 * record a batch, list open work, lease/ack/release for the Designer applier, retry, resolve, undo,
 * and an asset's history. Shapes are those of src/core/api.ts.
 */
import { Hono } from 'hono';
import {
  ackRequest,
  changeStatus,
  leaseRequest,
  recordBatchRequest,
  releaseRequest,
  resolveRequest,
  type ChangeInput,
  type ChangeStatus,
} from '../../core/api.ts';
import type { AppEnv } from '../env.ts';
import { visible } from '../edge.ts';
import { isJournalId } from '../store/journal.ts';
import { HttpError } from '../errors.ts';
import { parseJson, pathId } from './validate.ts';
import type { Journal } from '../services/journal.ts';
import { createWorkWaiters, type WorkWaiters } from '../services/work-waiters.ts';

export interface ChangesRoutesDeps {
  journal: Journal;
  /** Told when a batch was recorded, so the server applier can look for work now. */
  onRecorded?: (siteId: string) => void;
  /** Told of a batch about to be recorded, so the server applier can read Webflow meanwhile. */
  onRecording?: (siteId: string, changes: readonly ChangeInput[]) => void;
  /**
   * A Designer applier found no work it could lease: the server applier gives back the site's
   * changes it holds but has not sent (true when it held a batch), so the panel applies them.
   */
  standBack?: (siteId: string) => Promise<boolean>;
  /** The long polls waiting for work, shared with what else wakes them (the server applier giving changes back). */
  waiters?: WorkWaiters;
}

const OPEN_WORK: ChangeStatus[] = ['pending', 'leased', 'conflict', 'failed'];

export function changesRoutes({ journal, onRecorded: told, onRecording, standBack, waiters = createWorkWaiters() }: ChangesRoutesDeps) {
  const app = new Hono<AppEnv>();
  const onRecorded = (siteId: string): void => {
    told?.(siteId);
    waiters.wake(siteId);
  };

  app.post('/changes', async (c) => {
    const { siteId, userId } = c.var.session;
    const request = await parseJson(c, recordBatchRequest);
    onRecording?.(siteId, request.changes);
    const batch = await journal.record(siteId, userId, request);
    onRecorded?.(siteId);
    return c.json({ batch }, 201);
  });

  app.get('/changes', async (c) => {
    const statuses = parseStatuses(c.req.query('status'));
    const limit = parseLimit(c.req.query('limit'));
    const after = parseAfter(c.req.query('after'));
    return c.json(await journal.list(c.var.session.siteId, statuses, limit, after));
  });

  app.post('/changes/lease', async (c) => {
    const { waitSeconds, ...request } = await parseJson(c, leaseRequest);
    const siteId = c.var.session.siteId;
    let lease = await journal.lease(siteId, { ...request, kind: 'designer' });
    // The server applier may hold the site's changes, waiting for quota (behind a crawl, minutes
    // at 60 requests a minute): the panel applies them at once and spends no quota.
    if (lease.changes.length === 0 && (await standBack?.(siteId))) lease = await journal.lease(siteId, { ...request, kind: 'designer' });
    if (lease.changes.length === 0 && waitSeconds > 0) {
      await waiters.wait(siteId, waitSeconds, c.req.raw.signal);
      // A caller that went away while it waited (a panel closed, or woken to ask again) would
      // hold what it was granted, unseen, until the lease lapsed.
      if (c.req.raw.signal.aborted) return c.json({ changes: [], leaseExpiresAt: null });
      lease = await journal.lease(siteId, { ...request, kind: 'designer' });
    }
    const changes = lease.changes.map(({ leaseCount: _count, ...change }) => change);
    return c.json({ changes, leaseExpiresAt: lease.leaseExpiresAt });
  });

  app.post('/changes/ack', async (c) => {
    const request = await parseJson(c, ackRequest);
    const changes = await journal.ack(c.var.session.siteId, request.applierId, request.results);
    return c.json({ changes });
  });

  app.post('/changes/release', async (c) => {
    const { applierId } = await parseJson(c, releaseRequest);
    const siteId = c.var.session.siteId;
    const released = await journal.giveBack(siteId, applierId);
    // Another applier waiting for work (an open panel) takes them now, and the server applier,
    // no longer standing back for this one, looks for work.
    onRecorded(siteId);
    return c.json({ released });
  });

  app.post('/changes/:changeId/retry', async (c) => {
    const change = await journal.retry(c.var.session.siteId, pathId(c, 'changeId'));
    onRecorded?.(c.var.session.siteId);
    return c.json({ change });
  });

  app.post('/changes/:changeId/resolve', async (c) => {
    const { keep } = await parseJson(c, resolveRequest);
    const change = await journal.resolve(c.var.session.siteId, pathId(c, 'changeId'), keep);
    if (keep === 'mine') onRecorded?.(c.var.session.siteId);
    return c.json({ change });
  });

  app.post('/batches/:batchId/undo', async (c) => {
    const { siteId, userId } = c.var.session;
    const batch = await journal.undo(siteId, pathId(c, 'batchId'), userId);
    onRecorded?.(siteId);
    return c.json({ batch }, 201);
  });

  app.get('/assets/:assetId/history', async (c) => {
    const changes = await journal.history(c.var.session.siteId, pathId(c, 'assetId'));
    return c.json({ changes });
  });

  return app;
}


function parseStatuses(query: string | undefined): ChangeStatus[] {
  if (!query) return OPEN_WORK;
  return query.split(',').map((status) => {
    const parsed = changeStatus.safeParse(status.trim());
    if (!parsed.success) {
      throw new HttpError(400, 'validation_error', `status: "${visible(status)}" is not a status; use ${changeStatus.options.join(', ')}`);
    }
    return parsed.data;
  });
}

/** A change's id: the listing's next page starts after it. */
function parseAfter(query: string | undefined): string | null {
  if (query === undefined) return null;
  if (!isJournalId(query)) {
    throw new HttpError(400, 'validation_error', `after: "${visible(query)}" is not a change id; use the id of the last change of the page before`);
  }
  return query;
}

function parseLimit(query: string | undefined): number {
  if (query === undefined) return 500;
  const limit = Number(query);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
    throw new HttpError(400, 'validation_error', 'limit must be a whole number from 1 to 5000');
  }
  return limit;
}
