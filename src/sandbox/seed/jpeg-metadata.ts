/**
 * Embedded metadata for the demo site's photos, as cameras and photo editors write it: an XMP
 * packet (APP1, `http://ns.adobe.com/xap/1.0/`) with the IPTC "Alt Text (Accessibility)" and
 * "Extended Description" as language alternatives and `dc:description`, and an EXIF APP1 whose
 * IFD0 holds `ImageDescription`. Asset Desk reads them back as suggestions (src/core/suggestions/).
 */

/** One text per `xml:lang` ('x-default' first, as the XMP specification asks). */
export type LanguageAlternatives = readonly (readonly [lang: string, text: string])[];

export interface EmbeddedMetadata {
  altText?: LanguageAlternatives;
  extendedDescription?: LanguageAlternatives;
  description?: LanguageAlternatives;
  /** EXIF ImageDescription (ASCII by the standard; written as UTF-8 as most tools do). */
  imageDescription?: string;
}

const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
/** A segment's length field counts itself: 65,535 bytes at most, so 65,533 of body. */
const MAX_SEGMENT_BODY = 65_533;

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char);

function alternatives(property: string, values: LanguageAlternatives | undefined): string {
  if (!values || values.length === 0) return '';
  const items = values.map(([lang, text]) => `<rdf:li xml:lang="${escapeXml(lang)}">${escapeXml(text)}</rdf:li>`).join('');
  return `<${property}><rdf:Alt>${items}</rdf:Alt></${property}>`;
}

/** The XMP packet for `metadata` (without the EXIF part). */
export function xmpPacket(metadata: EmbeddedMetadata): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">',
    alternatives('Iptc4xmpCore:AltTextAccessibility', metadata.altText),
    alternatives('Iptc4xmpCore:ExtDescrAccessibility', metadata.extendedDescription),
    alternatives('dc:description', metadata.description),
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('');
}

function app1(body: Uint8Array): Uint8Array {
  if (body.length > MAX_SEGMENT_BODY) throw new RangeError(`An APP1 segment holds at most ${MAX_SEGMENT_BODY} bytes (got ${body.length}).`);
  const out = new Uint8Array(body.length + 4);
  out.set([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  out.set(body, 4);
  return out;
}

/** EXIF: a little-endian TIFF header and an IFD0 with the one ImageDescription entry. */
function exifBody(imageDescription: string): Uint8Array {
  const text = new TextEncoder().encode(imageDescription);
  const count = text.length + 1; // NUL-terminated ASCII
  const valueOffset = 8 + 2 + 12 + 4; // header, entry count, one entry, next-IFD offset
  const tiff = new Uint8Array(valueOffset + count);
  const view = new DataView(tiff.buffer);
  tiff.set([0x49, 0x49, 0x2a, 0x00]); // "II", 42
  view.setUint32(4, 8, true);
  view.setUint16(8, 1, true);
  view.setUint16(10, 0x010e, true); // ImageDescription
  view.setUint16(12, 2, true); // ASCII
  view.setUint32(14, count, true);
  if (count <= 4) tiff.set(text, 18);
  else view.setUint32(18, valueOffset, true);
  view.setUint32(22, 0, true); // no IFD1
  if (count > 4) tiff.set(text, valueOffset);
  const header = new TextEncoder().encode('Exif\0\0');
  const body = new Uint8Array(header.length + tiff.length);
  body.set(header);
  body.set(tiff, header.length);
  return body;
}

/** The APP1 segments that carry `metadata`: EXIF first, then XMP, each only when it has something. */
export function metadataSegments(metadata: EmbeddedMetadata): Uint8Array[] {
  const segments: Uint8Array[] = [];
  if (metadata.imageDescription !== undefined) segments.push(app1(exifBody(metadata.imageDescription)));
  if (metadata.altText?.length || metadata.extendedDescription?.length || metadata.description?.length) {
    segments.push(app1(new TextEncoder().encode(XMP_HEADER + xmpPacket(metadata))));
  }
  return segments;
}

/** Copies a JPEG with `metadata` right after its JFIF header (SOI 2 + APP0 18 bytes). */
export function withMetadata(jpeg: Uint8Array, metadata: EmbeddedMetadata): Uint8Array {
  const segments = metadataSegments(metadata);
  const at = 20;
  const added = segments.reduce((sum, segment) => sum + segment.length, 0);
  const out = new Uint8Array(jpeg.length + added);
  out.set(jpeg.subarray(0, at), 0);
  let offset = at;
  for (const segment of segments) {
    out.set(segment, offset);
    offset += segment.length;
  }
  out.set(jpeg.subarray(at), offset);
  return out;
}
