/**
 * Records batches of 100 changes one after another and prints each batch's id once its
 * recording has answered, until killed. Env: STORE_URL, STORE_SCHEMA (PostgreSQL only).
 */
import { openStore } from '../../src/server/store/db.ts';
import { createJournal } from '../../src/server/services/journal.ts';

const url = process.env.STORE_URL;
if (!url) throw new Error('STORE_URL must be set');
const schema = process.env.STORE_SCHEMA;
const store = await openStore(url, schema ? { schema } : {});
const journal = createJournal({ store });
process.stdout.write('recording\n');
for (let n = 0; ; n++) {
  const batch = await journal.record('site-sigkill', 'user1', {
    changes: Array.from({ length: 100 }, (_, i) => ({
      assetId: `asset${i}`,
      field: 'altText' as const,
      before: '',
      after: `Batch ${n}, asset ${i}`,
    })),
  });
  process.stdout.write(`recorded ${batch.id}\n`);
}
