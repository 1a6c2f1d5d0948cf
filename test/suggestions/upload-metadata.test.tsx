// @vitest-environment happy-dom
/**
 * Before an upload is sent, the upload row offers the alt text the file embeds (XMP, written
 * here by the sandbox seed's encoder), exactly, saying where it came from; taking it sends it.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeUploadBackend, ManualHasher } from '../../src/panel/models/uploads-fakes.ts';
import { createUploadsModel } from '../../src/panel/models/uploads.ts';
import { readFileSuggestions } from '../../src/panel/suggestions/file-metadata.ts';
import type { Suggestion } from '../../src/core/suggestions/sources.ts';
import { UploadPanel } from '../../src/panel/components/upload/UploadPanel.tsx';
import { drawJpeg } from '../../src/sandbox/seed/jpeg.ts';
import { withMetadata, type EmbeddedMetadata } from '../../src/sandbox/seed/jpeg-metadata.ts';

afterEach(cleanup);

const photo = drawJpeg(320, 240, 'sun', [[245, 236, 222], [196, 164, 132], [111, 78, 55], [214, 120, 62], [46, 74, 62]]);
const jpegFile = (name: string, metadata: EmbeddedMetadata): File => new File([Uint8Array.from(withMetadata(photo, metadata))], name, { type: 'image/jpeg' });

function setup() {
  const backend = new FakeUploadBackend();
  const hasher = new ManualHasher();
  /** What each file's reading found, as it finished. */
  const readings: Suggestion[][] = [];
  const model = createUploadsModel({
    backend,
    siteId: 'site1',
    onUploaded: () => {},
    hash: hasher.hash,
    readFileSuggestions: async (file, locales) => {
      const found = await readFileSuggestions(file, locales);
      readings.push(found);
      return found;
    },
    locales: () => [
      { id: 'en', tag: 'en', primary: true },
      { id: 'fr', tag: 'fr-FR', primary: false },
    ],
  });
  render(<UploadPanel model={model} folders={[]} />);
  const pick = (...files: File[]) => fireEvent.change(screen.getByLabelText('Choose files to upload'), { target: { files } });
  return { backend, hasher, model, pick, readings };
}

describe('uploading an image that carries its alt text', () => {
  it("suggests exactly the XMP alt text before the upload is sent, from the file's metadata, and sends it once taken", async () => {
    const { backend, hasher, pick } = setup();
    const alt = 'Barista pouring a “rosetta” into a flat white <&> ☕';
    pick(jpegFile('IMG_7333.jpg', { altText: [['x-default', alt], ['fr-FR', 'Barista dessinant une rosace']] }));
    const chip = await screen.findByRole('button', { name: `Suggest: “${alt}” (from the file's metadata, 95%), use it for IMG_7333.jpg` });
    expect(chip.getAttribute('title')).toBe("From the file's metadata (XMP Iptc4xmpCore:AltTextAccessibility)");
    // Offered, not sent: nothing went to the backend, and the field is empty until taken.
    expect(backend.completed).toEqual([]);
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for IMG_7333.jpg' });
    expect(field.value).toBe('');
    fireEvent.click(chip);
    expect(field.value).toBe(alt);
    hasher.finish('IMG_7333.jpg');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload all (1)' }));
    await waitFor(() => expect(backend.completed.map((each) => each.altText)).toEqual([alt]));
  });

  it('prefers the embedded alt text over the file name, and keeps the name’s when the file embeds nothing', async () => {
    const { pick } = setup();
    pick(jpegFile('red-bicycle.jpg', { imageDescription: 'A red bicycle leaning on a canal railing' }), new File([Uint8Array.from(photo)], 'blue-car.jpg', { type: 'image/jpeg' }));
    await screen.findByRole('button', { name: 'Suggest: “A red bicycle leaning on a canal railing” (from the file\'s metadata, 50%), use it for red-bicycle.jpg' });
    expect(screen.getByRole('button', { name: 'Suggest: “Blue car” (from the file name, 30%), use it for blue-car.jpg' })).toBeTruthy();
  });

  it('does not offer a French-only alt text as the primary language’s', async () => {
    const { model, pick, readings } = setup();
    pick(jpegFile('IMG_0001.jpg', { altText: [['fr-FR', 'Un vélo rouge']] }));
    await waitFor(() => expect(readings).toHaveLength(1));
    expect(readings[0]).toEqual([{ text: 'Un vélo rouge', source: 'metadata', confidence: 0.95, localeId: 'fr', detail: 'XMP Iptc4xmpCore:AltTextAccessibility (fr-FR)' }]);
    expect(model.items.value[0]?.suggestion).toBeNull();
    expect(screen.queryByRole('button', { name: /^Suggest: / })).toBeNull();
  });
});
