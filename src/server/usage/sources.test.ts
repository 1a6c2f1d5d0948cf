import { describe, expect, it } from 'vitest';
import { domUses, imageFieldsOf, itemImages, itemLinks } from './sources.ts';
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
        { nodeId: 'n2', assetId: A, alt: null, surroundings: { heading: 'Hi', caption: null } },
        { nodeId: 'n4', assetId: B, alt: 'Override', surroundings: { heading: 'Hi', caption: null } },
        { nodeId: 'n5', assetId: A, alt: '', surroundings: { heading: 'Hi', caption: null } },
      ],
      placements: [{ nodeId: 'n3', componentId: 'c1', altOverride: null, heading: 'Hi' }],
    });
  });

  it('keeps an instance’s first "Alt Text" override (an empty one too), not its text properties', () => {
    const override = (type: string, text: string | null | undefined) => ({ propertyId: 'p', type, label: 'L', text: text === undefined ? {} : { html: null, text } });
    const nodes = [
      { id: 'a', type: 'component-instance', componentId: 'c1', propertyOverrides: [override('Plain Text', 'Quote'), override('Alt Text', 'Latte art')] },
      { id: 'b', type: 'component-instance', componentId: 'c1', propertyOverrides: [override('Alt Text', '')] },
      { id: 'c', type: 'component-instance', componentId: 'c1', propertyOverrides: [override('Alt Text', undefined)] },
      { id: 'd', type: 'component-instance', componentId: 'c1', propertyOverrides: [override('Rich Text', 'x')] },
      { id: 'e', type: 'component-instance', componentId: 'c1' },
    ] as WireNode[];
    expect(domUses([{ nodes }]).placements.map((p) => p.altOverride)).toEqual(['Latte art', '', '', null, null]);
  });

  it('takes an Image node without alt (the SDK drops nulls) as using the asset alt, and skips images without asset', () => {
    const nodes = [
      { id: 'n1', type: 'image', image: { assetId: A } },
      { id: 'n2', type: 'image', image: { alt: 'x' } },
      { id: 'n3', type: 'image', image: { alt: 'x', assetId: '' } },
    ] as WireNode[];
    expect(domUses([{ nodes }]).images).toEqual([{ nodeId: 'n1', assetId: A, alt: null, surroundings: { heading: null, caption: null } }]);
  });

  it('keeps the nearest heading above each image and the caption right under it', () => {
    const text = (id: string, html: string) => ({ id, type: 'text', text: { html, text: null } }) as WireNode;
    const image = (id: string) => ({ id, type: 'image', image: { alt: null, assetId: A } }) as WireNode;
    const nodes = [
      text('t1', '<h1>About us</h1>'),
      image('i1'),
      text('t2', '<figcaption>Our roastery at dawn &amp; its team</figcaption>'),
      text('t3', '<div><h3>Don&#39;t panic</h3><p>Always know where your towel is.</p><h2>Our <em>team</em></h2></div>'),
      image('i2'),
      text('t4', `<p>${'Long copy. '.repeat(20)}</p>`),
      image('i3'),
      { id: 'c', type: 'component-instance', componentId: 'c1', propertyOverrides: [] } as WireNode,
      text('t5', '<p>Jane, head roaster</p>'),
    ];
    const { images, placements } = domUses([{ nodes }]);
    expect(images.map((i) => i.surroundings)).toEqual([
      { heading: 'About us', caption: { text: 'Our roastery at dawn & its team', figcaption: true } },
      { heading: 'Our team', caption: null },
      { heading: 'Our team', caption: null },
    ]);
    expect(placements[0]?.heading).toBe('Our team');
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

describe('itemLinks', () => {
  const url = (id: string) => `https://cdn.prod.website-files.com/${'5'.repeat(24)}/${id}_brochure.pdf`;

  it('finds asset ids and hosted URLs in any field but Image and MultiImage, once per field', () => {
    const item = {
      fieldData: {
        name: 'Kettle',
        link: url(A),
        summary: `See ${url(B)} and ${url(B)}?v=2, or ask for ${A.toUpperCase()}.`,
        'main-image': { fileId: B, url: url(B), alt: null },
        gallery: [{ fileId: B, url: url(B) }],
        body: `<p><a href="${url(A)}">PDF</a></p><img src="${url(B)}" alt="x">`,
        related: [B],
      },
    };
    const found = itemLinks(fields, item).map((l) => `${l.fieldSlug}:${l.assetId}`);
    // The site id in the CDN URL is kept as a candidate: the index keeps only ids of the site's assets.
    const site = '5'.repeat(24);
    expect(found.sort()).toEqual([`body:${A}`, `body:${site}`, `link:${A}`, `link:${site}`, `related:${B}`, `summary:${A}`, `summary:${B}`, `summary:${site}`].sort());
  });

  it('finds nothing in values without a 24-hex id, and takes longer hex runs for none', () => {
    expect(itemLinks(fields, { fieldData: { name: 'x', link: 'https://example.com/a.pdf', summary: 'f'.repeat(25), n: 3, s: true, z: null } })).toEqual([]);
  });
});
