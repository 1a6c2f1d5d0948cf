import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { sparkMd5Int32 } from './src/panel/workers/spark-md5-int32.ts';
import { devHost, DEV_PORT } from './src/stack/dev-host.ts';

// The panel is a static bundle served by Webflow from `dist/` (webflow.json `publicDir`),
// so every URL in it must be relative.
export default defineConfig({
  base: './',
  plugins: [preact(), sparkMd5Int32(), devHost()],
  server: { host: '127.0.0.1', port: DEV_PORT, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  worker: { format: 'es', plugins: () => [sparkMd5Int32()] },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Deadlines that catch a hang, not figures (speed belongs in bench/): a test that opens PGlite
    // in its body, or a condition polled in Chromium, took over 30 s (and 1 s, expect.poll's own
    // default) with both cores busy many times over.
    testTimeout: 120_000,
    expect: { poll: { timeout: 15_000 } },
    // A hook opens PGlite (a WebAssembly build, then every migration): seconds alone, but over a
    // minute on two cores shared with a dozen busy processes. A deadline, not a figure.
    hookTimeout: 180_000,
    pool: 'forks',
    setupFiles: ['test/setup-dom.ts'],
  },
});
