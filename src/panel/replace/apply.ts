/**
 * The Designer applier's part for a change of field `file` (docs/decisions/replace-file.md): the
 * backend says whether the asset still has the file the change replaces (read from Webflow's CDN
 * now), then the bytes are fetched from the backend and set with `asset.setFile`. A file changed
 * meanwhile is a conflict (Webflow's MD5 reported), never overwritten; one already set (an earlier
 * try whose acknowledgement was lost) is applied.
 */
import type { Change } from '../../core/api.ts';
import type { AckResult, BackendPort } from '../ports/backend.ts';
import type { DesignerPort } from '../ports/designer.ts';

export function createFileApplier(options: { backend: BackendPort; designer: DesignerPort; siteId: string }) {
  const { backend, designer, siteId } = options;
  return async function applyFile(change: Change): Promise<AckResult> {
    if (!designer.setFile) throw new Error("This Designer can't replace an asset's file; open Asset Desk in the Webflow Designer.");
    const check = await backend.replacementCheck(siteId, change.id);
    if (check.state === 'applied') return { changeId: change.id, outcome: 'applied' };
    if (check.state === 'conflict') return { changeId: change.id, outcome: 'conflict', current: check.current };
    const bytes = await backend.replacementFile(siteId, change.id);
    if (bytes.size !== check.size) throw new Error(`The backend sent ${bytes.size} bytes of the ${check.size}-byte ${check.fileName}; try again.`);
    await designer.setFile(change.assetId, new File([bytes], check.fileName, { type: check.contentType }));
    return { changeId: change.id, outcome: 'applied' };
  };
}
