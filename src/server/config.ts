/**
 * The backend's configuration, read once. Without Webflow credentials it runs against the
 * sandbox (its base URLs and OAuth app come from the sandbox's /_sandbox/info, and secrets are
 * generated once and kept in the data folder); with WEBFLOW_CLIENT_ID / WEBFLOW_CLIENT_SECRET it
 * runs against Webflow and needs its secrets from the environment.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { INSTALL_SCOPES } from './webflow/scopes.ts';

export interface WebflowEndpoints {
  apiBaseUrl: string;
  betaBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The OAuth scopes the install asks for (all of {@link INSTALL_SCOPES} unless said). */
  scopes?: readonly string[];
}

export interface Config {
  mode: 'sandbox' | 'webflow';
  port: number;
  /** The backend's own URL as browsers reach it (the OAuth redirect is built from it). */
  publicUrl: string;
  /** A `postgres://` URL, a PGlite folder, or `memory://`. */
  databaseUrl: string;
  /** Where sandbox-mode secrets are kept; null keeps them in memory (tests). */
  dataDir: string | null;
  webflow: WebflowEndpoints;
  /** 32 bytes: seals access tokens at rest. */
  encryptionKey: Buffer;
  /** Signs session tokens. */
  sessionSecret: Buffer;
  /** Origins allowed by CORS and told about completed installs: the extension's. */
  panelOrigins: string[];
  /** Webflow's rate-limit window (the sandbox's fast mode shortens it). */
  rateWindowMs: number;
  /**
   * Proxies of ours in front of the backend: the client's address (for sign-in limits) is the
   * X-Forwarded-For entry the outermost of them wrote. 0: the socket's peer is the client.
   */
  trustedProxies: number;
  /** Which suggestion sources run beside the file's metadata and name (docs/decisions/suggestion-sources.md). */
  suggestions: SuggestionsConfig;
  /**
   * An asset uploaded, or seen used by the usage index, within this many days is not offered for
   * deletion even when no use is found now (UNUSED_GRACE_DAYS, 7 by default).
   */
  unusedGraceDays: number;
}

/** An OpenAI-compatible chat-completions endpoint that looks at images: off unless VISION_BASE_URL is set. */
export interface VisionConfig {
  /** e.g. https://api.openai.com/v1, or http://127.0.0.1:11434/v1 for a local Ollama. */
  baseUrl: string;
  /** null: the endpoint wants none (a local server); never logged. */
  apiKey: string | null;
  model: string;
  /** Requests to the endpoint at once, across all sites. */
  concurrency: number;
  /** Requests per site per day (UTC); past it, no more are made that day. */
  dailyCap: number;
  timeoutMs: number;
}

export interface SuggestionsConfig {
  /** Text in images (tesseract.js, on this machine); SUGGESTIONS_OCR=off switches it off. */
  ocr: boolean;
  vision: VisionConfig | null;
}

const suggestionsEnv = z.object({
  SUGGESTIONS_OCR: z.enum(['on', 'off']).default('on'),
  VISION_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  VISION_API_KEY: z.string().min(1).optional(),
  VISION_MODEL: z.string().min(1).max(200).optional(),
  VISION_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  VISION_DAILY_CAP: z.coerce.number().int().min(0).max(1_000_000).default(500),
  VISION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
});

/** The suggestion sources from the environment: OCR on unless switched off, the vision model off unless configured. */
export function suggestionsConfig(source: NodeJS.ProcessEnv = process.env): SuggestionsConfig {
  const parsed = suggestionsEnv.safeParse(source);
  // The issue's path and message only: a value here may be the API key.
  if (!parsed.success) throw new ConfigError(`The suggestion settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const e = parsed.data;
  if (!e.VISION_BASE_URL) {
    if (e.VISION_MODEL || e.VISION_API_KEY) throw new ConfigError('VISION_MODEL and VISION_API_KEY take effect only with VISION_BASE_URL (the vision endpoint): set it, or unset them.');
    return { ocr: e.SUGGESTIONS_OCR === 'on', vision: null };
  }
  if (!e.VISION_MODEL) throw new ConfigError('VISION_BASE_URL is set but VISION_MODEL is not: name the model the endpoint should use (e.g. gpt-4o-mini, llava).');
  return {
    ocr: e.SUGGESTIONS_OCR === 'on',
    vision: { baseUrl: e.VISION_BASE_URL, apiKey: e.VISION_API_KEY ?? null, model: e.VISION_MODEL, concurrency: e.VISION_CONCURRENCY, dailyCap: e.VISION_DAILY_CAP, timeoutMs: e.VISION_TIMEOUT_MS },
  };
}

const key = z
  .string()
  .transform((value) => Buffer.from(value, 'base64'))
  .refine((bytes) => bytes.length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4200),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  SANDBOX_URL: z.url().default('http://127.0.0.1:4100'),
  WEBFLOW_CLIENT_ID: z.string().min(1).optional(),
  WEBFLOW_CLIENT_SECRET: z.string().min(1).optional(),
  WEBFLOW_API_URL: z.url().default('https://api.webflow.com/v2'),
  WEBFLOW_BETA_URL: z.url().default('https://api.webflow.com/beta'),
  WEBFLOW_AUTHORIZE_URL: z.url().default('https://webflow.com/oauth/authorize'),
  WEBFLOW_TOKEN_URL: z.url().default('https://api.webflow.com/oauth/access_token'),
  ENCRYPTION_KEY: key.optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PANEL_ORIGINS: z.string().optional(),
  RATE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  UNUSED_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once and answers the whole configuration, or says what is wrong. */
export async function loadConfig(source: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(`The backend's configuration is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const suggestions = suggestionsConfig(source);
  const publicUrl = e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`;
  const origins = e.PANEL_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean);
  if (e.WEBFLOW_CLIENT_ID || e.WEBFLOW_CLIENT_SECRET) {
    if (!e.WEBFLOW_CLIENT_ID || !e.WEBFLOW_CLIENT_SECRET) throw new ConfigError('Set both WEBFLOW_CLIENT_ID and WEBFLOW_CLIENT_SECRET (or neither, to use the sandbox).');
    if (!e.ENCRYPTION_KEY || !e.SESSION_SECRET) throw new ConfigError('Against Webflow, ENCRYPTION_KEY (32 bytes, base64) and SESSION_SECRET (32+ characters) are required.');
    return {
      mode: 'webflow',
      port: e.PORT,
      publicUrl,
      databaseUrl: e.DATABASE_URL ?? join(e.DATA_DIR, 'pglite'),
      dataDir: e.DATA_DIR,
      webflow: {
        apiBaseUrl: e.WEBFLOW_API_URL,
        betaBaseUrl: e.WEBFLOW_BETA_URL,
        authorizeUrl: e.WEBFLOW_AUTHORIZE_URL,
        tokenUrl: e.WEBFLOW_TOKEN_URL,
        clientId: e.WEBFLOW_CLIENT_ID,
        clientSecret: e.WEBFLOW_CLIENT_SECRET,
        scopes: INSTALL_SCOPES,
      },
      encryptionKey: e.ENCRYPTION_KEY,
      sessionSecret: Buffer.from(e.SESSION_SECRET),
      panelOrigins: origins ?? [`https://${e.WEBFLOW_CLIENT_ID}.webflow-ext.com`],
      rateWindowMs: e.RATE_WINDOW_MS,
      trustedProxies: e.TRUSTED_PROXIES,
      suggestions,
      unusedGraceDays: e.UNUSED_GRACE_DAYS,
    };
  }
  return sandboxConfig({
    port: e.PORT,
    publicUrl,
    sandboxUrl: e.SANDBOX_URL,
    databaseUrl: e.DATABASE_URL ?? join(e.DATA_DIR, 'pglite'),
    dataDir: e.DATA_DIR,
    panelOrigins: origins ?? ['http://127.0.0.1:4300', 'http://localhost:4300'],
    rateWindowMs: e.RATE_WINDOW_MS,
    trustedProxies: e.TRUSTED_PROXIES,
    suggestions,
    unusedGraceDays: e.UNUSED_GRACE_DAYS,
  });
}

/** Sandbox mode: endpoints and the OAuth app from the sandbox, secrets generated and kept. */
export async function sandboxConfig(options: {
  port: number;
  publicUrl: string;
  sandboxUrl: string;
  databaseUrl: string;
  dataDir: string | null;
  panelOrigins: string[];
  rateWindowMs: number;
  trustedProxies?: number;
  /** Default: from the environment ({@link suggestionsConfig}). */
  suggestions?: SuggestionsConfig;
  unusedGraceDays?: number;
}): Promise<Config> {
  let info: { apiBaseUrl: string; betaBaseUrl: string; oauthAuthorizeUrl: string; oauthTokenUrl: string; clientId: string; clientSecret: string };
  try {
    const response = await fetch(new URL('/_sandbox/info', options.sandboxUrl), { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    info = (await response.json()) as typeof info;
  } catch (error) {
    throw new ConfigError(
      `No Webflow credentials are set, so the backend runs against the sandbox at ${options.sandboxUrl}, which could not be read (${error instanceof Error ? error.message : String(error)}). Start it with \`npm run sandbox\`, or run \`npm start\`.`,
    );
  }
  const secrets = sandboxSecrets(options.dataDir);
  return {
    mode: 'sandbox',
    port: options.port,
    publicUrl: options.publicUrl,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    webflow: {
      apiBaseUrl: info.apiBaseUrl,
      betaBaseUrl: info.betaBaseUrl,
      authorizeUrl: info.oauthAuthorizeUrl,
      tokenUrl: info.oauthTokenUrl,
      clientId: info.clientId,
      clientSecret: info.clientSecret,
      scopes: INSTALL_SCOPES,
    },
    encryptionKey: secrets.encryptionKey,
    sessionSecret: secrets.sessionSecret,
    panelOrigins: options.panelOrigins,
    rateWindowMs: options.rateWindowMs,
    trustedProxies: options.trustedProxies ?? 0,
    suggestions: options.suggestions ?? suggestionsConfig(),
    unusedGraceDays: options.unusedGraceDays ?? 7,
  };
}

/** Generated once per data folder (mode 0600), so stored tokens stay readable across restarts. */
function sandboxSecrets(dataDir: string | null): { encryptionKey: Buffer; sessionSecret: Buffer } {
  if (!dataDir) return { encryptionKey: randomBytes(32), sessionSecret: randomBytes(32) };
  const path = join(dataDir, 'secrets.json');
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { encryptionKey: string; sessionSecret: string };
    return { encryptionKey: Buffer.from(stored.encryptionKey, 'base64'), sessionSecret: Buffer.from(stored.sessionSecret, 'base64') };
  }
  mkdirSync(dataDir, { recursive: true });
  const fresh = { encryptionKey: randomBytes(32), sessionSecret: randomBytes(32) };
  writeFileSync(path, JSON.stringify({ encryptionKey: fresh.encryptionKey.toString('base64'), sessionSecret: fresh.sessionSecret.toString('base64') }), { mode: 0o600 });
  return fresh;
}
