import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { sparkMd5Int32 } from './spark-md5-int32.ts';

const path = createRequire(import.meta.url).resolve('spark-md5');
const original = readFileSync(path, 'utf8');

type Spark = { ArrayBuffer: { new (): { append(buffer: ArrayBuffer): void; end(): string }; hash(buffer: ArrayBuffer): string } };

function transform(code: string, id = path): string {
  const plugin = sparkMd5Int32();
  const hook = plugin.transform as (code: string, id: string) => { code: string } | null;
  const result = hook.call({}, code, id);
  if (!result) throw new Error('not transformed');
  return result.code;
}

/** Loads spark-md5's UMD source as CommonJS would. */
function load(code: string): Spark {
  const module = { exports: {} as Spark };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports;
}

describe('the spark-md5 Int32 fix', () => {
  it('rewrites the installed spark-md5 and leaves other modules alone', () => {
    const code = transform(original);
    expect(code).toContain('new Int32Array(16)');
    expect(code).toContain('var md5blks = md5blksInt32,');
    expect(code).not.toMatch(/function md5blk_array\(a\) \{\s+var md5blks = \[\]/);
    expect(code).not.toContain('.subarray(i - 64, i)');
    expect((sparkMd5Int32().transform as (c: string, id: string) => unknown).call({}, original, '/x/other.js')).toBeNull();
  });

  it('gives the same digests as node:crypto on random data, in one piece and in uneven chunks', () => {
    const Spark = load(transform(original));
    for (const size of [0, 1, 55, 56, 63, 64, 65, 1000, 4096 + 17, 1_000_003]) {
      const bytes = randomBytes(size);
      const expected = createHash('md5').update(bytes).digest('hex');
      const whole = Uint8Array.from(bytes).buffer;
      expect(Spark.ArrayBuffer.hash(whole)).toBe(expected);
      const incremental = new Spark.ArrayBuffer();
      for (let offset = 0; offset < size; offset += 7777) incremental.append(whole.slice(offset, offset + 7777));
      expect(incremental.end()).toBe(expected);
    }
  });

  it('fails the build loudly when spark-md5 no longer has the code it rewrites', () => {
    expect(() => transform(original.replace('function md5blk_array(a) {', 'function md5blk_array(bytes) {'))).toThrow(/spark-md5 changed/);
  });
});
