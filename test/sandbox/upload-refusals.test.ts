/**
 * The sandbox's S3 target refuses what S3 (or, for the MD5, the sandbox on purpose) refuses,
 * with S3's XML error codes, and accepts nothing it refused afterwards by accident.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BYTES } from '../../src/core/limits.ts';
import { waitFor } from '../server/sandbox-control.ts';
import { md5Hex, postToS3, useSandbox } from './support.ts';

const under = useSandbox({ demo: { assets: 30 }, rateLimit: { perWindow: 10_000, windowMs: 1_000 } });
/** Policies that expire 50 ms after the asset is created. */
const shortLived = useSandbox({ demo: { assets: 30 }, uploadTtlMs: 50 });

const png = (size: number, salt = 0): Uint8Array => new Uint8Array(size).map((_, i) => (i * 17 + salt) % 256);
const s3Code = async (response: Response): Promise<string | undefined> => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

async function created(fileName: string, fileHash: string) {
  return under.webflow.assets.create(under.sandbox.info.siteId, { fileName, fileHash });
}

describe('the S3 upload target refuses', () => {
  it('a file whose MD5 differs from the fileHash the asset was created with (400 BadDigest)', async () => {
    const upload = await created('team-photo.png', md5Hex(png(2048, 1)));
    const response = await postToS3(upload, { bytes: png(2048, 2), name: 'team-photo.png', type: 'image/png' });
    expect(response.status).toBe(400);
    expect(await s3Code(response)).toBe('BadDigest');
    expect((await under.webflow.assets.get(upload.id ?? '')).size).toBe(0);
  });

  it('a policy that has expired (403 AccessDenied)', async () => {
    const bytes = png(1024);
    const upload = await shortLived.webflow.assets.create(shortLived.sandbox.info.siteId, { fileName: 'late.png', fileHash: md5Hex(bytes) });
    // The policy names its own end: wait until the clock has passed it, not a guessed time.
    const policy = JSON.parse(Buffer.from(String(upload.uploadDetails?.policy ?? ''), 'base64').toString()) as { expiration: string };
    await waitFor('the upload policy to expire', async () => (Date.now() > Date.parse(policy.expiration) ? true : undefined), 10_000, 5);
    const response = await postToS3(upload, { bytes, name: 'late.png', type: 'image/png' });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Code>AccessDenied<\/Code>.*Policy expired/s);
  });

  it('a file larger than the policy allows (400 EntityTooLarge)', async () => {
    const bytes = png(MAX_BYTES.image + 1);
    const upload = await created('huge-banner.png', md5Hex(bytes));
    const response = await postToS3(upload, { bytes, name: 'huge-banner.png', type: 'image/png' });
    expect(response.status).toBe(400);
    expect(await s3Code(response)).toBe('EntityTooLarge');
  });

  it('a form whose file is not the last field (400 InvalidArgument)', async () => {
    const bytes = png(512);
    const upload = await created('first.png', md5Hex(bytes));
    const response = await postToS3(upload, { bytes, name: 'first.png', type: 'image/png' }, { filePosition: 'first' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>InvalidArgument<\/Code>.*must be the last field/s);
  });

  it('a policy whose signature was tampered with (403 SignatureDoesNotMatch)', async () => {
    const bytes = png(512);
    const upload = await created('forged.png', md5Hex(bytes));
    const forged = { ...upload, uploadDetails: { ...upload.uploadDetails, xAmzSignature: '0'.repeat(64) } };
    const response = await postToS3(forged, { bytes, name: 'forged.png', type: 'image/png' });
    expect(response.status).toBe(403);
    expect(await s3Code(response)).toBe('SignatureDoesNotMatch');
  });

  it('a second file for an upload that already arrived', async () => {
    const bytes = png(512, 9);
    const upload = await created('twice.png', md5Hex(bytes));
    expect((await postToS3(upload, { bytes, name: 'twice.png', type: 'image/png' })).status).toBe(201);
    const again = await postToS3(upload, { bytes, name: 'twice.png', type: 'image/png' });
    expect(again.status).toBe(403);
    expect(await s3Code(again)).toBe('AccessDenied');
  });
});
