import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/sandbox/contract/files.ts';
import { loadWebflowContract, ResponseMismatch } from './openapi.ts';

const contract = loadWebflowContract();

const asset = {
  id: '63e5889e7fe4eafa7384cea4',
  contentType: 'image/png',
  size: 1500,
  siteId: '63938b302ea6b0aa6f3d8745',
  hostedUrl: 'https://cdn.example/63e5889e7fe4eafa7384cea4_a.png',
  originalFileName: 'a.png',
  displayName: 'a.png',
  lastUpdated: '2024-03-01T23:42:57.862Z',
  createdOn: '2024-02-09T23:58:22.294Z',
  variants: [],
  altText: null,
};

describe('the OpenAPI contract the sandbox is checked against', () => {
  it('accepts an asset with decorative (null) alt text, as the spec marks it nullable', () => {
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 200, asset)).not.toThrow();
  });

  it('refuses an asset without a required field', () => {
    const { hostedUrl: _hostedUrl, ...withoutUrl } = asset;
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 200, withoutUrl)).toThrow(/hostedUrl/);
  });

  it('refuses a field of the wrong type or format', () => {
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 200, { ...asset, size: '1500' })).toThrow(ResponseMismatch);
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 200, { ...asset, id: 'not-an-object-id' })).toThrow(/objectid/);
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 200, { ...asset, createdOn: 'yesterday' })).toThrow(/date-time/);
  });

  it('holds errors to Webflow’s error shape, codes included', () => {
    const error = { code: 'not_authorized', message: 'Request not authorized', externalReference: null, details: [] };
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 401, error)).not.toThrow();
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 401, { ...error, code: 'nope' })).toThrow(/allowed values/);
  });

  it('takes the bulk item PATCH’s list answer, whose schema puts a required list beside its oneOf', () => {
    const item = { id: asset.id, cmsLocaleId: asset.siteId, lastPublished: asset.createdOn, lastUpdated: asset.lastUpdated, createdOn: asset.createdOn, isArchived: false, isDraft: false, fieldData: { name: 'A', slug: 'a' } };
    expect(() => contract.check('v2', 'patch', '/collections/{collection_id}/items', 200, { items: [item] })).not.toThrow();
    expect(() => contract.check('v2', 'patch', '/collections/{collection_id}/items/{item_id}', 200, { ...item, fieldData: { name: 'A' } })).toThrow(/slug/);
  });

  it('says which operation or status the spec lacks', () => {
    expect(() => contract.check('v2', 'get', '/nowhere', 200, {})).toThrow('v2.yml has no operation GET /nowhere in the contract; if Webflow has it, add the path to CONTRACT_PATHS');
    expect(() => contract.check('v2', 'get', '/assets/{asset_id}', 302, {})).toThrow('v2.yml declares no 302 response for GET /assets/{asset_id}.');
  });

  it('says where the contract is expected, and how to write it, when it is absent', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'no-contract-')), 'webflow-openapi.json');
    expect(() => loadContract(missing)).toThrow(`The Webflow contract is missing: expected ${missing}. Run npm run contract`);
  });
});
