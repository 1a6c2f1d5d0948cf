/**
 * The vision model: any OpenAI-compatible chat-completions endpoint (OpenAI, a local Ollama,
 * vLLM, llama.cpp's server), called with the official `openai` SDK, only when configured
 * (VISION_BASE_URL). It gets a small variant of the image (at most 512 px, JPEG, made here with
 * sharp) and what the other sources found, and is asked for alt text in one language following
 * the W3C alt decision tree. No retries: a request costs the site one of its daily cap, and a
 * 429 pauses every request until the endpoint's Retry-After. The API key is never logged: errors
 * are reported by status and the endpoint's host only.
 */
import type OpenAI from 'openai';
import type { SuggestionSource } from '../../core/suggestions/sources.ts';
import type { VisionConfig } from '../config.ts';

/** How each hint's source is named to the model. */
const HINT_SOURCES: Record<SuggestionSource, string> = {
  metadata: "The file's embedded description",
  ocr: 'Text read in the image',
  usage: 'Where it is used on the site',
  'file-name': 'File name',
  vision: 'Another answer of yours',
};

/** The longest side of the image sent: enough to describe it, a few hundred tokens at most. */
export const VISION_IMAGE_SIDE = 512;
/** An answer longer than this is not alt text. */
const MAX_ANSWER_CHARS = 250;
/** Without a Retry-After, a 429 pauses requests this long. */
const DEFAULT_PAUSE_MS = 60_000;
const DECORATIVE = /^\W*decorative\W*$/i;

export interface VisionAsk {
  image: Uint8Array;
  /** The language to write in, by name and tag: "French (fr-FR)". */
  language: { name: string; tag: string };
  /** What the other sources found (metadata, text in the image, where it is used, file name): hints, not truths. */
  hints: readonly { source: SuggestionSource; text: string }[];
}

/** The model's answer: alt text, or that the image is decorative (alt=""). */
export type VisionReading = { text: string; decorative: false } | { text: null; decorative: true };

export class VisionError extends Error {
  override readonly name = 'VisionError';
  constructor(
    message: string,
    /** The endpoint's HTTP status; 0 when it did not answer (timeout, connection refused). */
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface VisionModel {
  readonly model: string;
  /** The endpoint's host, for the panel ("sent to api.openai.com"). */
  readonly host: string;
  describe(ask: VisionAsk): Promise<VisionReading>;
  /** When the endpoint said to wait (429), until when; null when requests may go. */
  pausedUntil(): number | null;
}

/** The image, downscaled to fit {@link VISION_IMAGE_SIDE} and re-encoded as JPEG, as a data URL. */
export async function smallVariant(image: Uint8Array): Promise<string> {
  const { default: sharp } = await import('sharp');
  const jpeg = await sharp(image, { limitInputPixels: 50_000_000 })
    .rotate()
    .resize({ width: VISION_IMAGE_SIDE, height: VISION_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

/** The W3C alt decision tree (https://www.w3.org/WAI/tutorials/images/decision-tree/), as the model's instructions. */
export function instructions(language: VisionAsk['language']): string {
  return [
    `You write alt text for images on a website, in ${language.name} (${language.tag}). Follow the W3C alt decision tree:`,
    '1. If the image is purely decorative (it adds nothing the page does not already say), answer exactly: DECORATIVE',
    '2. If the image contains text (a logo, a banner, a chart title), the alt text must contain that text.',
    '3. If the image is a link or a button, say where it goes or what it does.',
    '4. Otherwise describe what it shows in one short sentence (at most 125 characters).',
    `Never begin with "image of", "picture of" or "photo of". No quotes, no explanation: answer with the alt text only, in ${language.name}.`,
  ].join('\n');
}

/** What the other sources found, as the user message's text. Hints come from files and pages: told as hints. */
export function hintsText(hints: VisionAsk['hints']): string {
  if (hints.length === 0) return 'Write the alt text for this image.';
  const lines = hints.slice(0, 8).map((hint) => `- ${HINT_SOURCES[hint.source]}: ${hint.text.slice(0, 200)}`);
  return ['Write the alt text for this image. Other sources found these (they may be wrong or in another language):', ...lines].join('\n');
}

/** The model's text as alt text: quotes and labels dropped, one line; null when it is none. */
export function answerText(content: string | null | undefined): VisionReading | null {
  if (typeof content !== 'string') return null;
  let text = content.replace(/\s+/g, ' ').trim();
  text = text.replace(/^(?:alt(?:[- ]text)?|texte alternatif|alternativtext)\s*:\s*/i, '').trim();
  text = text.replace(/^["“”«»'‘’„]+|["“”«»'‘’„]+$/g, '').trim();
  if (DECORATIVE.test(text)) return { text: null, decorative: true };
  // eslint-disable-next-line no-control-regex
  if (!text || text.length > MAX_ANSWER_CHARS || /[\u0000-\u001f\u007f]/.test(text) || /[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) return null;
  return { text, decorative: false };
}

/**
 * The `openai` SDK and sharp (23 MB of the backend's memory together) are loaded with the first
 * image described, not with the backend: most backends never call a vision model.
 */
export function createVisionModel(config: VisionConfig, options: { fetch?: typeof fetch } = {}): VisionModel {
  const host = new URL(config.baseUrl).host;
  let loaded: Promise<{ sdk: typeof OpenAI; client: OpenAI }> | undefined;
  const connect = () =>
    (loaded ??= import('openai').then(({ default: sdk }) => ({
      sdk,
      client: new sdk({
        baseURL: config.baseUrl,
        // A local server takes any key; the SDK insists on one.
        apiKey: config.apiKey ?? 'none',
        maxRetries: 0,
        timeout: config.timeoutMs,
        logLevel: 'off',
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    })));
  let pausedUntil = 0;

  return {
    model: config.model,
    host,
    pausedUntil: () => (pausedUntil > Date.now() ? pausedUntil : null),
    async describe(ask) {
      const [image, { sdk, client }] = await Promise.all([smallVariant(ask.image), connect()]);
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: config.model,
          temperature: 0.2,
          max_tokens: 120,
          messages: [
            { role: 'system', content: instructions(ask.language) },
            {
              role: 'user',
              content: [
                { type: 'text', text: hintsText(ask.hints) },
                { type: 'image_url', image_url: { url: image, detail: 'low' } },
              ],
            },
          ],
        });
      } catch (error) {
        throw visionError(sdk, error, host, (ms) => (pausedUntil = Date.now() + ms));
      }
      const reading = answerText(completion.choices?.[0]?.message?.content);
      if (!reading) throw new VisionError(`The vision model at ${host} gave no usable alt text.`, 200);
      return reading;
    },
  };
}

/** The SDK's error in our words: status and host, never the request (its headers hold the key). */
function visionError(sdk: typeof OpenAI, error: unknown, host: string, pause: (ms: number) => void): VisionError {
  if (error instanceof sdk.APIConnectionTimeoutError) return new VisionError(`The vision model at ${host} did not answer in time.`, 0);
  if (error instanceof sdk.APIConnectionError) return new VisionError(`The vision model at ${host} could not be reached.`, 0);
  if (error instanceof sdk.APIError) {
    const status = error.status ?? 0;
    if (status === 429) {
      const seconds = Number(error.headers?.get('retry-after'));
      pause(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : DEFAULT_PAUSE_MS);
      return new VisionError(`The vision model at ${host} asked to slow down (429); requests pause until it says.`, 429);
    }
    if (status === 401 || status === 403) return new VisionError(`The vision model at ${host} refused the API key (${status}): check VISION_API_KEY.`, status);
    return new VisionError(`The vision model at ${host} answered ${status}.`, status);
  }
  return new VisionError(`The vision model at ${host} failed.`, 0, { cause: error });
}
