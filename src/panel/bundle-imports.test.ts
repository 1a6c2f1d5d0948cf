/**
 * The panel ships without zod: core/api.ts holds the backend's schemas, so panel code may take
 * only types from it (one constant imported from it once tripled the gzipped bundle, 38 → 64 KB).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PANEL = join(import.meta.dirname, '.');

function panelSources(): string[] {
  return readdirSync(PANEL, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith('testing'))
    .map((file) => join(PANEL, file));
}

describe('the panel bundle', () => {
  it('takes nothing but types from core/api.ts', () => {
    const sources = panelSources();
    expect(sources.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const [statement] of text.matchAll(/import\s+(?!type\b)[^;]*?from\s+'[^']*core\/api(?:\.ts)?'/g)) {
        offenders.push(`${file.slice(PANEL.length + 1)}: ${statement.replace(/\s+/g, ' ')}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
