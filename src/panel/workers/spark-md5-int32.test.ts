import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sparkMd5Int32 } from './spark-md5-int32.ts';

const path = createRequire(import.meta.url).resolve('spark-md5');
const original = readFileSync(path, 'utf8');
const sample = randomBytes(200);

interface SparkState { buff: string; length: number; hash: number[] }
type Spark = {
  ArrayBuffer: {
    new (): { append(buffer: ArrayBuffer | Uint8Array): void; end(): string; getState(): SparkState; setState(state: SparkState): void };
    hash(buffer: ArrayBuffer): string;
  };
};

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
    // Both ArrayBuffer tails are Int32Arrays; the string API (which we do not use) keeps its arrays.
    expect(code.split('tail = new Int32Array(16)').length - 1).toBe(2);
    expect(code.split('tail = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]').length - 1).toBe(2);
    // append hashes in place what it is given when nothing is left over from the last call.
    expect(code).toContain('buff = this._buff.length === 0 ? bytes : concatenateArrayBuffers(this._buff, bytes, true)');
    expect((sparkMd5Int32().transform as (c: string, id: string) => unknown).call({}, original, '/x/other.js')).toBeNull();
  });

  it('gives the same digests as node:crypto on random data, in one piece and in uneven chunks', () => {
    const Spark = load(transform(original));
    for (const size of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4096 + 17, 1_000_003]) {
      const bytes = randomBytes(size);
      const expected = createHash('md5').update(bytes).digest('hex');
      const whole = Uint8Array.from(bytes).buffer;
      expect(Spark.ArrayBuffer.hash(whole)).toBe(expected);
      const incremental = new Spark.ArrayBuffer();
      for (let offset = 0; offset < size; offset += 7777) incremental.append(whole.slice(offset, offset + 7777));
      expect(incremental.end()).toBe(expected);
    }
  });

  it('hashes Uint8Array views where they are, and ArrayBuffers, in any mix and any cut, as node:crypto does', () => {
    const Spark = load(transform(original));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.record({ cut: fc.nat(200), view: fc.boolean(), padding: fc.nat(9) }), { maxLength: 12 }),
        (bytes, pieces) => {
          const md5 = new Spark.ArrayBuffer();
          let offset = 0;
          for (const { cut, view, padding } of [...pieces, { cut: bytes.length, view: false, padding: 0 }]) {
            const piece = bytes.slice(offset, offset + cut);
            offset += piece.length;
            if (view) {
              // The piece inside a bigger buffer, with other bytes around it that must not count.
              const host = new Uint8Array(piece.length + 2 * padding).fill(0x5a);
              host.set(piece, padding);
              md5.append(new Uint8Array(host.buffer, padding, piece.length));
              // A caller may reuse its buffer at once: what append keeps must be its own copy.
              host.fill(0xa5);
            } else {
              md5.append(piece.slice().buffer);
            }
          }
          expect(md5.end()).toBe(createHash('md5').update(bytes).digest('hex'));
        },
      ),
    );
  });

  it('leaves the caller\'s bytes as they were', () => {
    const Spark = load(transform(original));
    const bytes = Uint8Array.from(randomBytes(1000));
    const before = bytes.slice();
    const md5 = new Spark.ArrayBuffer();
    md5.append(new Uint8Array(bytes.buffer, 0, 130));
    md5.append(new Uint8Array(bytes.buffer, 130, 870));
    expect(md5.end()).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(bytes).toEqual(before);
  });

  it('ends files whose length in bits leaves the int32 range as spark-md5 as shipped does', () => {
    // 300 MB and 3 GB files (too big to hash here): their lengths are set on a state mid-way.
    const [patched, shipped] = [load(transform(original)), load(original)];
    for (const length of [300_000_000, 3_000_000_000]) {
      const digests = [patched, shipped].map((Spark) => {
        const md5 = new Spark.ArrayBuffer();
        md5.append(Uint8Array.from(sample).buffer);
        const state = md5.getState();
        md5.setState({ ...state, length: length + state.length });
        md5.append(Uint8Array.from(sample).buffer.slice(0, 61));
        return md5.end();
      });
      expect(digests[0]).toBe(digests[1]);
    }
  });

  it('fails the build loudly when spark-md5 no longer has the code it rewrites', () => {
    expect(() => transform(original.replace('function md5blk_array(a) {', 'function md5blk_array(bytes) {'))).toThrow(/spark-md5 changed/);
  });
});
