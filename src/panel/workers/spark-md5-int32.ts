/**
 * A build-time fix to spark-md5 (a Vite plugin, applied to the panel, its worker and the tests).
 *
 * spark-md5 turns every 64-byte block into a fresh JS array of sixteen sums of bytes. On real
 * files (compressed images, so bytes ≥ 128 everywhere) most of those words fall outside V8's
 * small-integer range, so each block allocates an array of boxed doubles and the MD5 rounds
 * read doubles: Chromium hashed random data at ~60 MB/s per core against ~140 MB/s for zeros.
 * Writing the words into one reused Int32Array (with `|`, which gives the same 32 bits as the
 * sums) keeps them unboxed: ~1.6× faster on real files, the same digests (tested against
 * node:crypto in md5-chunks.test.ts). Its callers also made a subarray per block; they now pass
 * the offset.
 *
 * The last block of a file (the tail) was a plain JS array, so the MD5 rounds saw two kinds of
 * block, Int32Array and Array: each file's end made V8 throw away the rounds' optimised code and
 * compile it again for both, which cost a worker's first files 50–100 ms each. The tail is now
 * an Int32Array too (ToInt32 of the bit length gives the same bits the rounds take with `| 0`).
 *
 * `append` copied every chunk it was given into a new buffer behind the bytes left over from the
 * last one, and the caller had sliced (copied) a chunk's megabytes out of the file's buffer to
 * hand them over: in Chromium a fresh buffer of a megabyte costs about as much as hashing it
 * (its pages are faulted in and zeroed), so two thirds of a worker's time went in copies. It now
 * hashes the bytes where they are when nothing is left over (always, for chunks that are whole
 * 64-byte blocks), keeps only the < 64 bytes of a remainder, and also takes a Uint8Array view,
 * so the caller hands on a view of the file's buffer instead of a copy.
 * See docs/decisions/md5-throughput.md.
 */
import type { Plugin } from 'vite';

const ORIGINAL = `    function md5blk_array(a) {
        var md5blks = [],
            i; /* Andy King said do it this way. */

        for (i = 0; i < 64; i += 4) {
            md5blks[i >> 2] = a[i] + (a[i + 1] << 8) + (a[i + 2] << 16) + (a[i + 3] << 24);
        }
        return md5blks;
    }`;

const APPEND = `    SparkMD5.ArrayBuffer.prototype.append = function (arr) {
        var buff = concatenateArrayBuffers(this._buff.buffer, arr, true),
            length = buff.length,
            i;

        this._length += arr.byteLength;

        for (i = 64; i <= length; i += 64) {
            md5cycle(this._hash, md5blk_array(buff.subarray(i - 64, i)));
        }

        this._buff = (i - 64) < length ? new Uint8Array(buff.buffer.slice(i - 64)) : new Uint8Array(0);

        return this;
    };`;

const APPEND_IN_PLACE = `    SparkMD5.ArrayBuffer.prototype.append = function (arr) {
        var bytes = ArrayBuffer.isView(arr) ? new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength) : new Uint8Array(arr),
            buff = this._buff.length === 0 ? bytes : concatenateArrayBuffers(this._buff, bytes, true),
            length = buff.length,
            i;

        this._length += bytes.byteLength;

        for (i = 64; i <= length; i += 64) {
            md5cycle(this._hash, md5blk_array(buff, i - 64));
        }

        this._buff = (i - 64) < length ? buff.slice(i - 64) : new Uint8Array(0);

        return this;
    };`;

const INT32 = `    var md5blksInt32 = new Int32Array(16);
    function md5blk_array(a, o) {
        var md5blks = md5blksInt32,
            i;

        for (i = 0; i < 64; i += 4) {
            md5blks[i >> 2] = a[o + i] | (a[o + i + 1] << 8) | (a[o + i + 2] << 16) | (a[o + i + 3] << 24);
        }
        return md5blks;
    }`;

/**
 * The callers of md5blk_array, which made a subarray (an object) per 64-byte block, and the two
 * tails of the ArrayBuffer hashing (`SparkMD5.ArrayBuffer.hash` and `.prototype.end`).
 */
const CALLS: ReadonlyArray<readonly [string, string]> = [
  ['md5cycle(state, md5blk_array(a.subarray(i - 64, i)));', 'md5cycle(state, md5blk_array(a, i - 64));'],
  ['length = a.length;\n        tail = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];', 'length = a.length;\n        tail = new Int32Array(16);'],
  ['length = buff.length,\n            tail = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],', 'length = buff.length,\n            tail = new Int32Array(16),'],
];

/** Rewrites spark-md5's `md5blk_array`; fails the build if spark-md5 changed and the fix no longer applies. */
export function sparkMd5Int32(): Plugin {
  return {
    name: 'asset-desk:spark-md5-int32',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]spark-md5[\\/]spark-md5\.js$/.test(id)) return null;
      const source = code.replace(/\r\n/g, '\n');
      if (!source.includes(ORIGINAL) || !source.includes(APPEND) || CALLS.some(([call]) => source.split(call).length !== 2)) {
        throw new Error('spark-md5 changed: its md5blk_array is not the one src/panel/workers/spark-md5-int32.ts rewrites. Check the new version and update or drop the fix.');
      }
      let rewritten = source.replace(ORIGINAL, INT32).replace(APPEND, APPEND_IN_PLACE);
      for (const [call, direct] of CALLS) rewritten = rewritten.replace(call, direct);
      return { code: rewritten, map: null };
    },
  };
}
