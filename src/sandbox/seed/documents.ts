/**
 * SVG and PDF files for the demo site: text formats, so each is written directly and is
 * unique by a comment naming the asset.
 */
import type { Rgb } from './layouts.ts';

const hex = ([r, g, b]: Rgb): string => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A logo-like SVG: a badge with a coffee-bean shape and a visible label. */
export function drawSvg(label: string, width: number, height: number, colors: readonly Rgb[], comment: string): Uint8Array {
  const [background = [255, 255, 255], mark = [60, 40, 30], text = [30, 30, 30]] = colors;
  const r = Math.min(width, height) * 0.3;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<!-- ${comment.replace(/--/g, '- -')} -->`,
    `<rect width="${width}" height="${height}" rx="${Math.round(r / 4)}" fill="${hex(background)}"/>`,
    `<ellipse cx="${Math.round(height / 2)}" cy="${Math.round(height / 2)}" rx="${Math.round(r * 0.7)}" ry="${Math.round(r)}" fill="${hex(mark)}"/>`,
    `<path d="M${Math.round(height / 2)} ${Math.round(height / 2 - r)} Q${Math.round(height / 2 - r * 0.4)} ${Math.round(height / 2)} ${Math.round(height / 2)} ${Math.round(height / 2 + r)}" stroke="${hex(background)}" stroke-width="${Math.max(2, Math.round(r / 8))}" fill="none"/>`,
    label === ''
      ? ''
      : `<text x="${Math.round(height)}" y="${Math.round(height / 2)}" dominant-baseline="middle" font-family="Georgia, serif" font-size="${Math.round(height / 5)}" fill="${hex(text)}">${escapeXml(label)}</text>`,
    '</svg>',
  ].join('');
  return new TextEncoder().encode(svg);
}

/** A minimal valid one-page PDF (PDF 1.4, Helvetica) with a title and a line of text. */
export function drawPdf(title: string, line: string): Uint8Array {
  const escapePdf = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const content = `BT /F1 24 Tf 72 720 Td (${escapePdf(title)}) Tj ET\nBT /F1 12 Tf 72 690 Td (${escapePdf(line)}) Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
