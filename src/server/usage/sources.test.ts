import { describe, expect, it } from 'vitest';
import { domUses, imageFieldsOf, itemImages } from './sources.ts';
import type { WireField, WireNode } from '../webflow/site-content.ts';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';

describe('domUses', () => {
  it('reads Image nodes with the element setting and component-instance nodes, across pagination pieces', () => {
    const first: WireNode[] = [
      { id: 'n1', type: 'text', text: { html: '<h1>Hi</h1>', text: 'Hi' } } as WireNode,
      { id: 'n2', type: 'image', image: { alt: null, assetId: A }, attributes: {} },
      { id: 'n3', type: 'component-instance', componentId: 'c1', propertyOverrides: [] },
    ];
    const second: WireNode[] = [
      { id: 'n3', type: 'component-instance', componentId: 'c1', propertyOverrides: [] },
      { id: 'n4', type: 'image', image: { alt: 'Override', assetId: B }, attributes: {} },
      { id: 'n5', type: 'image', image: { alt: '', assetId: A }, attributes: {} },
    ];
    expect(domUses([{ nodes: first }, { nodes: second }])).toEqual({
      images: [
        { nodeId: 'n2', assetId: A, alt: null },
        { nodeId: 'n4', assetId: B, alt: 'Override' },
        { nodeId: 'n5', assetId: A, alt: '' },
      ],
      placements: [{ nodeId: 'n3', componentId: 'c1' }],
    });
  });

  it('takes an Image node without alt (the SDK drops nulls) as using the asset alt, and skips images without asset', () => {
    const nodes = [
      { id: 'n1', type: 'image', image: { assetId: A } },
      { id: 'n2', type: 'image', image: { alt: 'x' } },
      { id: 'n3', type: 'image', image: { alt: 'x', assetId: '' } },
    ] as WireNode[];
    expect(domUses([{ nodes }]).images).toEqual([{ nodeId: 'n1', assetId: A, alt: null }]);
  });
});

const fields: WireField[] = [
  { id: 'f1', isRequired: true, type: 'PlainText', slug: 'name', displayName: 'Name' },
  { id: 'f2', isRequired: false, type: 'Image', slug: 'main-image', displayName: 'Main image' },
  { id: 'f3', isRequired: false, type: 'MultiImage', slug: 'gallery', displayName: 'Gallery' },
  { id: 'f4', isRequired: false, type: 'RichText', slug: 'body', displayName: 'Body' },
  { id: 'f5', isRequired: false, type: 'Link', slug: 'link', displayName: 'Link' },
];

describe('itemImages', () => {
  it('finds the Image, MultiImage and Rich Text fields from the schema', () => {
    expect(imageFieldsOf(fields)).toEqual([
      { slug: 'main-image', type: 'Image' },
      { slug: 'gallery', type: 'MultiImage' },
      { slug: 'body', type: 'RichText' },
    ]);
  });

  it('reads each image of an item with its own alt, MultiImage index and Rich Text position', () => {
    const item = {
      fieldData: {
        name: 'Post',
        slug: 'post',
        'main-image': { fileId: A, url: `https://cdn/s/${A}_a.jpg`, alt: null },
        gallery: [
          { fileId: B, url: `https://cdn/s/${B}_b.jpg`, alt: 'Beans' },
          { fileId: A, url: `https://cdn/s/${A}_a.jpg`, alt: '' },
        ],
        body: `<p>x</p><img src="https://example.com/other.png" alt="elsewhere"><img src="https://cdn/s/${B}_b-p-500.jpg">`,
        link: `https://cdn/s/${A}_a.jpg`,
      },
    };
    expect(itemImages(imageFieldsOf(fields), item)).toEqual([
      { kind: 'cms-image', assetId: A, fieldSlug: 'main-image', fieldType: 'Image', index: null, alt: null },
      { kind: 'cms-image', assetId: B, fieldSlug: 'gallery', fieldType: 'MultiImage', index: 0, alt: 'Beans' },
      { kind: 'cms-image', assetId: A, fieldSlug: 'gallery', fieldType: 'MultiImage', index: 1, alt: '' },
      { kind: 'rich-text', assetId: B, fieldSlug: 'body', position: 1, alt: null },
    ]);
  });

  it('finds the asset of an image value from its url when fileId is absent, and ignores values of the wrong shape', () => {
    const item = { fieldData: { 'main-image': { url: `https://cdn/s/${A}_a.jpg`, alt: 'Cup' }, gallery: 'not an array', body: 42 } };
    expect(itemImages(imageFieldsOf(fields), item)).toEqual([{ kind: 'cms-image', assetId: A, fieldSlug: 'main-image', fieldType: 'Image', index: null, alt: 'Cup' }]);
  });
});
