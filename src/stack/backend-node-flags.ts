/**
 * The V8 flags the backend's process starts with (`npm run serve`, `npm run server`; package.json
 * names them, and test/server/built-server.test.ts holds it to this list): a heap sized for a
 * small companion backend, not for V8's defaults, which suit a browser tab's bursts.
 *
 * - `--max-semi-space-size=4`: the young generation stops growing at 2 × 4 MB instead of 2 × 16.
 *   Its semi-spaces stay committed, empty, once grown: 32 MB of RSS after any burst of requests.
 * - `--heap-growing-percent=50`: after a full collection the old generation may grow by half of
 *   what lived through it before the next, instead of up to three or four times. The refresh and
 *   the usage crawl keep ~30–60 MB alive while they read; with V8's factor the heap reached
 *   165–185 MB committed at 50,000 assets (and kept much of it until the memory reducer ran
 *   ~30 s after the work), with this one 71–73.
 *
 * At 50,000 assets on PGlite: peak RSS during the first refresh and crawl 330–350 MB → 227–232,
 * after it 234–293 → 190–219; the refresh and the index under load as fast, within their spread
 * (docs/decisions/backend-memory.md, "The heap sized for the backend").
 * Only the backend's process: the tests, the sandbox and `npm start`'s demo run with V8's own.
 * backend-node-flags.test.ts holds what each flag does under a refresh-shaped load.
 */
export const BACKEND_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=50'];
