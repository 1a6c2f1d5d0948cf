import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../testing/fakes.ts';
import { countNotifications } from '../testing/notifications.ts';
import { createAnnouncer } from './announcer.ts';
import { createStatusModel } from './status.ts';

async function withOneConflict() {
  const backend = new FakeBackend();
  await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', localeId: null, before: 'Old', after: 'Mine' }] });
  (backend.changes[0] as { status: string }).status = 'conflict';
  const model = createStatusModel({ backend, siteId: 'site1', announcer: createAnnouncer() });
  await model.refresh();
  return { backend, model };
}

/** The model's signals, to count their notifications. */
const notifications = (model: ReturnType<typeof createStatusModel>) =>
  countNotifications({ counts: model.counts, conflicts: model.conflicts, failures: model.failures });

describe('status model polling', () => {
  it('leaves its signals alone when a poll brings the same answer', async () => {
    const { model } = await withOneConflict();
    const before = { counts: model.counts.value, conflicts: model.conflicts.value };
    const { seen, stop } = notifications(model);
    await model.refresh();
    await model.refresh();
    stop();
    expect(seen).toEqual({ counts: 0, conflicts: 0, failures: 0 });
    expect(model.counts.value).toBe(before.counts);
    expect(model.conflicts.value).toBe(before.conflicts);
  });

  it('takes an answer that differs', async () => {
    const { backend, model } = await withOneConflict();
    expect(model.counts.value.conflict).toBe(1);
    (backend.changes[0] as { status: string }).status = 'failed';
    await model.refresh();
    expect(model.counts.value).toMatchObject({ conflict: 0, failed: 1 });
    expect(model.conflicts.value).toEqual([]);
    expect(model.failures.value.map((change) => change.id)).toEqual([backend.changes[0]?.id]);
  });
});
