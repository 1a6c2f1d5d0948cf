/**
 * The Designer applier: while the panel is open it holds a lease on the journal's pending
 * changes and applies them through the Designer API (no Data API quota), a few at a time.
 * Each change is checked against Webflow's current value first: a value someone else changed
 * is reported as a conflict, never overwritten. Closing the panel loses nothing: it gives back
 * what it holds as it goes (or, when that request cannot leave, the lease lapses), and the next
 * applier (this panel reopened, another one, or the server) picks the changes up, reading
 * Webflow's value before writing.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { AltText, Change } from '../../core/api.ts';
import type { AckResult, BackendPort } from '../ports/backend.ts';
import type { DesignerPort } from '../ports/designer.ts';
import { describeError } from './announcer.ts';

/**
 * The most changes one lease may ask for: the backend's MAX_LEASE_LIMIT (a test holds them
 * equal). Not imported from core/api.ts, whose zod schemas would triple the panel's bundle.
 */
export const MAX_LEASE_LIMIT = 2000;

export interface ApplierSummary {
  applied: number;
  conflict: number;
  failed: number;
}

export interface ApplierModel {
  /** Changes being applied right now. */
  working: ReadonlySignal<number>;
  error: ReadonlySignal<string | null>;
  start(): void;
  /** Looks for work now (after a batch was journaled) instead of at the next poll. */
  wake(): void;
  dispose(): void;
}

export interface ApplierOptions {
  backend: BackendPort;
  designer: DesignerPort;
  siteId: string;
  applierId?: string;
  /** Designer calls in flight at once. */
  concurrency?: number;
  leaseSeconds?: number;
  leaseLimit?: number;
  /** Wait between looks when there is no work. */
  idleMs?: number;
  /** Each change as the journal has it after the acknowledgement. */
  onSettled?: (change: Change) => void;
  /** A run of work finished: everything leased was applied, conflicted or failed. */
  onFinished?: (summary: ApplierSummary) => void;
  /** The page open in the Designer: its elements' changes are leased and applied too. */
  openPageId?: () => string | null;
  /** Applies a change of field `file` (src/panel/replace/apply.ts); without it such changes wait for another applier. */
  applyFile?: (change: Change) => Promise<AckResult>;
}

/** How long an idle applier's lease request may wait at the backend for work. */
export const LONG_POLL_SECONDS = 20;

export function newApplierId(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `panel-${random}`.slice(0, 64);
}

export function summaryMessage(summary: ApplierSummary): { type: 'Success' | 'Warning'; message: string } {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (summary.conflict === 0 && summary.failed === 0) {
    return { type: 'Success', message: `Asset Desk applied ${plural(summary.applied, 'change')} in Webflow.` };
  }
  const problems = [
    summary.conflict ? plural(summary.conflict, 'conflict') : '',
    summary.failed ? `${summary.failed} failed` : '',
  ].filter(Boolean);
  return {
    type: 'Warning',
    message: `Asset Desk applied ${plural(summary.applied, 'change')}; ${problems.join(' and ')}: review them in the status bar.`,
  };
}

export function createApplier(options: ApplierOptions): ApplierModel {
  const { backend, designer, siteId } = options;
  let applierId = options.applierId ?? newApplierId();
  const concurrency = options.concurrency ?? 64;
  const leaseSeconds = options.leaseSeconds ?? 30;
  const leaseLimit = options.leaseLimit ?? 500;
  const idleMs = options.idleMs ?? 500;

  const working = signal(0);
  const error = signal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = true;
  let wakeAgain = false;
  let summary: ApplierSummary = { applied: 0, conflict: 0, failed: 0 };
  /**
   * The last look found no work: the next one may wait at the backend for some. The first
   * look waits too (it answers at once when work is there), so a batch journaled just after
   * the panel opened is not left for the next look.
   */
  let wasIdle = true;
  /** Changes this applier holds whose outcome the journal does not have yet. */
  let unacknowledged = 0;
  /** Ends the long poll in flight, so a wake (another page opened) asks again at once. */
  let longPoll: AbortController | null = null;

  async function read(change: Change): Promise<AltText> {
    if (change.field === 'altText') return designer.getAltText(change.assetId, change.localeId);
    if (change.field === 'folder') return designer.getFolderId(change.assetId);
    return designer.getName(change.assetId);
  }

  async function write(change: Change): Promise<void> {
    if (change.field === 'altText') return designer.setAltText(change.assetId, change.after, change.localeId);
    if (change.after === null) {
      throw new Error(
        change.field === 'folder'
          ? "The Designer can't move an asset back to the top level; move it in the Assets panel instead."
          : 'An asset needs a name; this change has none.',
      );
    }
    if (change.field === 'folder') return designer.setFolder(change.assetId, change.after);
    return designer.setName(change.assetId, change.after);
  }

  /**
   * A secondary locale without alt text of its own shows the primary's, and the journal's
   * before-value says so; the Designer may report such a locale as empty instead. Then the
   * value to compare is the primary's.
   */
  async function inherited(change: Change, current: AltText): Promise<AltText> {
    if (change.field !== 'altText' || !change.localeId || (current !== null && current !== '')) return current;
    const primary = await designer.getAltText(change.assetId, null);
    return primary === change.before ? primary : current;
  }

  /**
   * A page element's alt text (docs/decisions/element-changes.md). The Designer reads what the
   * element shows (its own alt, or the asset's when it has none), so the values compared are
   * what before and after would show.
   */
  async function applyToElement(change: Change & { target: NonNullable<Change['target']> }): Promise<AckResult> {
    const canvas = designer.canvas;
    if (!canvas) throw new Error("This Designer can't change a page's images; open Asset Desk in the Webflow Designer.");
    const { pageId, elementId } = change.target;
    const [shown, assetAlt] = await Promise.all([canvas.shownAltText(pageId, elementId), designer.getAltText(change.assetId, null)]);
    const shows = (value: AltText) => value ?? assetAlt ?? '';
    if (shown === shows(change.before)) {
      await canvas.setAltText(pageId, elementId, change.after);
      return { changeId: change.id, outcome: 'applied' };
    }
    // Already what we want (an earlier attempt got through before its ack was lost).
    if (shown === shows(change.after)) return { changeId: change.id, outcome: 'applied' };
    return { changeId: change.id, outcome: 'conflict', current: shown === (assetAlt ?? '') ? null : shown };
  }

  /** The outcome of one change; null when it must wait (its page is not open: its lease lapses back to the queue). */
  async function applyOne(change: Change): Promise<AckResult | null> {
    if (change.target && change.target.pageId !== options.openPageId?.()) return null;
    if (change.field === 'file' && !options.applyFile) return null;
    try {
      if (change.target) return await applyToElement({ ...change, target: change.target });
      if (change.field === 'file' && options.applyFile) return await options.applyFile(change);
      let current = await read(change);
      if (current !== change.before && current !== change.after) current = await inherited(change, current);
      if (current !== change.before) {
        // Already what we want (an earlier attempt got through before its ack was lost).
        if (current === change.after) return { changeId: change.id, outcome: 'applied' };
        return { changeId: change.id, outcome: 'conflict', current };
      }
      await write(change);
      return { changeId: change.id, outcome: 'applied' };
    } catch (failure) {
      return { changeId: change.id, outcome: 'failed', error: describeError(failure).slice(0, 2000) };
    }
  }

  async function ack(results: AckResult[]): Promise<void> {
    if (results.length === 0) return;
    const settled = await backend.ackChanges(siteId, applierId, results);
    unacknowledged -= results.length;
    for (const change of settled) {
      if (change.status === 'applied' || change.status === 'conflict' || change.status === 'failed') summary[change.status] += 1;
      options.onSettled?.(change);
    }
  }

  /** Applies one lease's changes with bounded concurrency, renewing the lease while it works. */
  async function work(leased: Change[]): Promise<void> {
    const queue = [...leased];
    const seen = new Set(leased.map((change) => change.id));
    const results: AckResult[] = [];
    const acks: Promise<void>[] = [];
    // Asking again renews what this applier holds and brings more work: done every half lease,
    // and as soon as the queue runs low while the journal may have more, so the lanes never
    // stand still between leases.
    let mayHaveMore = leased.length >= leaseLimit;
    let topUp: Promise<void> | null = null;
    unacknowledged = leased.length;
    const more = (): Promise<void> => {
      // A lease answers what this applier holds first: ask for that and a lease's worth more,
      // or a top-up while the first changes await their acknowledgement brings nothing new.
      topUp ??= backend
        .leaseChanges(siteId, applierId, Math.min(MAX_LEASE_LIMIT, unacknowledged + leaseLimit), leaseSeconds, 0, { pageId: options.openPageId?.() ?? null })
        .then((lease) => {
          const fresh = lease.changes.filter((change) => !seen.has(change.id));
          unacknowledged += fresh.length;
          for (const change of fresh) {
            seen.add(change.id);
            queue.push(change);
          }
          mayHaveMore = fresh.length > 0;
          if (fresh.length > 0) void designer.prepareAssets?.(fresh.map((change) => change.assetId)).catch(() => undefined);
        })
        .catch(() => undefined)
        .finally(() => (topUp = null));
      return topUp;
    };
    const renew = setInterval(() => void more(), (leaseSeconds * 1000) / 2);
    // A lease request takes a few hundred milliseconds on a busy backend: ask while half a
    // lease is still queued, so the lanes are not left waiting for it.
    const lowWater = Math.max(concurrency, leaseLimit / 2);
    const flush = () => {
      if (results.length > 0) acks.push(ack(results.splice(0)));
    };
    try {
      working.value = queue.length;
      await designer.prepareAssets?.(queue.map((change) => change.assetId)).catch(() => undefined);
      const lanes = Array.from({ length: concurrency }, async () => {
        while (!stopped) {
          if (mayHaveMore && queue.length < lowWater) void more();
          let change = queue.shift();
          if (!change && topUp) {
            await topUp;
            change = queue.shift();
          }
          if (!change) return;
          const result = await applyOne(change);
          if (result) results.push(result);
          else unacknowledged -= 1;
          working.value = queue.length;
          if (results.length >= 100) flush();
        }
      });
      await Promise.all(lanes);
      flush();
      await Promise.all(acks);
    } finally {
      clearInterval(renew);
      working.value = 0;
    }
  }

  async function cycle(): Promise<void> {
    if (running || stopped) return;
    running = true;
    clearTimeout(timer);
    let idle = true;
    let failed = false;
    const asked = Date.now();
    try {
      // Idle: ask the backend to hold the request until work arrives (a long poll), so a batch
      // journaled anywhere is picked up at once rather than at the next look.
      longPoll = new AbortController();
      const lease = await backend.leaseChanges(siteId, applierId, leaseLimit, leaseSeconds, wasIdle ? LONG_POLL_SECONDS : 0, {
        pageId: options.openPageId?.() ?? null,
        signal: longPoll.signal,
      });
      longPoll = null;
      error.value = null;
      if (lease.changes.length > 0) {
        idle = false;
        await work(lease.changes);
      } else if (summary.applied + summary.conflict + summary.failed > 0) {
        const finished = summary;
        summary = { applied: 0, conflict: 0, failed: 0 };
        options.onFinished?.(finished);
        const { type, message } = summaryMessage(finished);
        void designer.notify(type, message).catch(() => undefined);
      }
    } catch (failure) {
      if (longPoll?.signal.aborted) {
        wakeAgain = true;
      } else {
        failed = true;
        error.value = `Changes are waiting to be applied: ${describeError(failure)}`;
      }
    } finally {
      longPoll = null;
      running = false;
    }
    if (stopped) return;
    const again = !idle || wakeAgain;
    wakeAgain = false;
    // After an idle look, the next one is a long poll; one that came back empty at once (a
    // backend that does not hold requests) or failed waits idleMs first, never a busy loop.
    const heldOpen = wasIdle && Date.now() - asked >= 1000;
    wasIdle = idle && !failed;
    timer = setTimeout(() => void cycle(), again || (wasIdle && heldOpen) ? 0 : idleMs);
  }

  /**
   * Gives back what this applier holds: the panel is closing (or the site is left). Sent even when
   * it holds nothing it knows of: a lease request cut off by the closing page may have been
   * granted at the backend, and no answer will ever tell this panel.
   */
  function giveBack(): void {
    void backend.releaseChanges(siteId, applierId).catch(() => undefined);
  }

  /**
   * A page brought back from the browser's back-forward cache gave back its lease as it was
   * hidden, and the backend grants a released applier nothing more: it asks again as a new one.
   */
  function comeBack(event: Event): void {
    if (!(event as PageTransitionEvent).persisted) return;
    applierId = newApplierId();
    wake();
  }

  /** Looks for work now: ends a long poll in flight (the cycle then asks again), or starts a cycle. */
  function wake(): void {
    if (stopped) return;
    if (running) {
      wakeAgain = true;
      longPoll?.abort();
    } else void cycle();
  }

  return {
    working,
    error,
    start() {
      if (!stopped) return;
      stopped = false;
      globalThis.addEventListener?.('pagehide', giveBack);
      globalThis.addEventListener?.('pageshow', comeBack);
      void cycle();
    },
    wake,
    dispose() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      longPoll?.abort();
      globalThis.removeEventListener?.('pagehide', giveBack);
      globalThis.removeEventListener?.('pageshow', comeBack);
      giveBack();
    },
  };
}
