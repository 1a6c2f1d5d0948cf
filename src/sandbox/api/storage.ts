/**
 * The sandbox's S3-style upload target and its CDN. The target takes the presigned multipart
 * POST as S3 does (every policy field first, `file` last, field names matched case-insensitively)
 * and answers S3's XML errors. It is stricter than S3 in one place on purpose: a file whose MD5
 * differs from the `fileHash` the asset was created with is refused, so the panel's hashing is
 * proven on every upload. Accepted files are served at their `hostedUrl` with their content type.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { wellFormed } from '../../core/api.ts';
import { md5Hex, type World } from '../world/world.ts';
import { signPolicy, UPLOAD_BUCKET } from './data-api.ts';

const REQUIRED_FIELDS = ['key', 'policy', 'x-amz-signature', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date'];

type PolicyCondition = Record<string, string> | [string, ...unknown[]];

export function storageRoutes(world: World, baseUrl: () => string): Hono {
  const app = new Hono();
  // S3 buckets and the CDN answer any origin: the panel runs on Webflow's extension origin.
  app.use('/_sandbox/s3/*', cors({ origin: '*', allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['*'], exposeHeaders: ['ETag', 'Location'] }));
  app.use('/cdn/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD'] }));

  app.post(`/_sandbox/s3/${UPLOAD_BUCKET}`, async (c) => {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      return s3Error(c, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    const entries = [...form.entries()];
    const fileIndex = entries.findIndex(([name]) => name.toLowerCase() === 'file');
    if (fileIndex < 0) return s3Error(c, 400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    if (fileIndex !== entries.length - 1) {
      return s3Error(c, 400, 'InvalidArgument', 'Bucket POST must contain a field named "file", and it must be the last field; fields after it are ignored by S3.');
    }
    const file = entries[fileIndex]?.[1];
    if (!(file instanceof File)) return s3Error(c, 400, 'InvalidArgument', 'The "file" field must be a file.');
    const fields = new Map<string, string>();
    for (const [name, value] of entries.slice(0, fileIndex)) if (typeof value === 'string') fields.set(name.toLowerCase(), value);
    for (const name of REQUIRED_FIELDS) {
      if (!fields.has(name)) return s3Error(c, 400, 'InvalidArgument', `Bucket POST must contain a field named '${name}'.`);
    }

    const policyText = fields.get('policy') as string;
    const expected = Buffer.from(signPolicy(world, policyText));
    const given = Buffer.from(fields.get('x-amz-signature') as string);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return s3Error(c, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    let policy: { expiration: string; conditions: PolicyCondition[] };
    try {
      policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
    } catch {
      return s3Error(c, 400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    }
    if (Date.parse(policy.expiration) < Date.now()) return s3Error(c, 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');

    let maxBytes = Number.POSITIVE_INFINITY;
    for (const condition of policy.conditions) {
      if (Array.isArray(condition)) {
        if (condition[0] === 'content-length-range') maxBytes = Number(condition[2]);
        continue;
      }
      for (const [name, value] of Object.entries(condition)) {
        const field = name === 'bucket' ? UPLOAD_BUCKET : fields.get(name.toLowerCase());
        if (field !== value) {
          return s3Error(c, 403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`);
        }
      }
    }
    if (file.size > maxBytes) return s3Error(c, 400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${maxBytes} bytes).`);

    const key = fields.get('key') as string;
    const pending = world.pendingUpload(key);
    if (!pending) return s3Error(c, 403, 'AccessDenied', `No upload is expected for ${key}: the asset was deleted or its file already arrived.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const digest = md5Hex(bytes);
    const asset = world.asset(pending.siteId, pending.assetId);
    if (digest !== asset.fileHash) {
      return s3Error(c, 400, 'BadDigest', `The MD5 of the file you sent (${digest}) does not match the fileHash the asset was created with (${asset.fileHash}).`);
    }
    world.receiveFile(key, bytes);
    const location = `${baseUrl()}/_sandbox/s3/${UPLOAD_BUCKET}/${encodeURI(wellFormed(key))}`;
    c.header('ETag', `"${digest}"`);
    c.header('Location', location);
    return c.body(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xml(location)}</Location><Bucket>${UPLOAD_BUCKET}</Bucket><Key>${xml(key)}</Key><ETag>"${digest}"</ETag></PostResponse>`,
      201,
      { 'content-type': 'application/xml' },
    );
  });

  app.get('/cdn/:siteId/:file', (c) => {
    const name = c.req.param('file');
    const id = /^([a-f0-9]{24})_/.exec(name)?.[1];
    let asset;
    try {
      asset = id ? world.asset(c.req.param('siteId'), id) : undefined;
    } catch {
      asset = undefined;
    }
    if (!asset?.file) return c.text('Not found', 404);
    const etag = `"${asset.fileHash}"`;
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(asset.file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=3600',
      etag,
    });
  });

  return app;
}

function s3Error(c: Context, status: 400 | 403, code: string, message: string): Response {
  return c.body(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`,
    status,
    { 'content-type': 'application/xml' },
  );
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
