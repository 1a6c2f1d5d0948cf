/**
 * "Waiting for publishing" in "CMS images": how many items hold alt text Asset Desk saved that is
 * not live yet, "Publish N items…" for those whose only unpublished change is ours (a
 * confirmation lists them, as they were when it opened), and the others left to Webflow with why.
 */
import { useState } from 'preact/hooks';
import { Dialog } from '../components/Dialog.tsx';
import { plural } from '../components/format.ts';
import type { CmsImagesModel } from './model.ts';
import type { WaitingItem } from './publishing.ts';

/** What an item says under its name while it waits for publishing (nothing when it does not). */
export function ItemWait({ item }: { item: WaitingItem | undefined }) {
  if (!item) return null;
  return <p class="cms-wait">{item.inWebflowBecause === null ? 'Waits for publishing' : `Waits for publishing: publish it in Webflow. ${item.inWebflowBecause}`}</p>;
}

export function WaitingForPublishing({ model, readOnly }: { model: CmsImagesModel; readOnly: boolean }) {
  const { publishing } = model;
  const [confirming, setConfirming] = useState<readonly WaitingItem[] | null>(null);
  const waiting = publishing.waiting.value;
  const publishable = publishing.publishable.value;
  const inWebflow = publishing.inWebflow.value;
  const notPublished = publishing.notPublished.value;
  const error = publishing.error.value;
  const busy = publishing.publishing.value;
  if (waiting.length === 0 && notPublished.length === 0 && !error) return null;
  const collectionName = new Map(model.collections.value.map((collection) => [collection.id, collection.name]));

  async function publish(items: readonly WaitingItem[]) {
    setConfirming(null);
    await publishing.publish(items);
  }

  return (
    <section class="cms-publish" aria-labelledby="cms-publish-title">
      <h3 id="cms-publish-title">Waiting for publishing</h3>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {waiting.length > 0 && (
        <p>
          {plural(waiting.length, 'item holds', 'items hold')} alt text that Asset Desk saved and that is not live yet: visitors get it once the item is published.
        </p>
      )}
      <div class="actions">
        {publishable.length > 0 && !readOnly && (
          <button type="button" class="primary" disabled={busy} onClick={() => setConfirming(publishable)}>
            {busy ? 'Publishing…' : `Publish ${plural(publishable.length, 'item')}…`}
          </button>
        )}
        <button type="button" disabled={busy || publishing.loadState.value === 'loading'} onClick={() => void publishing.load()}>
          Check again
        </button>
      </div>
      {notPublished.length > 0 && (
        <ul class="cms-not-published" aria-label="Not published">
          {notPublished.map((each, index) => (
            <li key={index}>
              Not published: {each.name}. {each.reason}
            </li>
          ))}
        </ul>
      )}
      {inWebflow.length > 0 && (
        <>
          <p>Asset Desk publishes only items whose only unpublished change is its own. Publish {inWebflow.length === 1 ? 'this one' : 'these'} in Webflow when ready:</p>
          <ul class="cms-in-webflow" aria-label="Publish in Webflow">
            {inWebflow.map((item) => (
              <li key={item.itemId}>
                <strong>{item.name}</strong> ({collectionName.get(item.collectionId) ?? 'a collection'}): {item.inWebflowBecause}
              </li>
            ))}
          </ul>
        </>
      )}
      {confirming && (
        <Dialog title={`Publish ${plural(confirming.length, 'item')}`} onClose={() => setConfirming(null)}>
          <p>These items go live with the alt text Asset Desk saved; nothing else of theirs waits for publishing.</p>
          <ul aria-label="Items to publish">
            {confirming.map((item) => (
              <li key={item.itemId}>
                {item.name} ({collectionName.get(item.collectionId) ?? 'a collection'})
              </li>
            ))}
          </ul>
          <div class="actions">
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button type="button" class="primary" onClick={() => void publish(confirming)}>
              Publish
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
