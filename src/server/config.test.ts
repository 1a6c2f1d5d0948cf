import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, suggestionsConfig } from './config.ts';
import { INSTALL_SCOPES } from './webflow/scopes.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const production = {
  WEBFLOW_CLIENT_ID: 'client123',
  WEBFLOW_CLIENT_SECRET: 'the-secret',
  ENCRYPTION_KEY: KEY,
  SESSION_SECRET: 'x'.repeat(40),
};

describe('the configuration against Webflow (production)', () => {
  it('talks to Webflow, allows the extension’s origin and keeps the store in .data unless told', async () => {
    const config = await loadConfig(production);

    expect(config).toMatchObject({
      mode: 'webflow',
      port: 4200,
      publicUrl: 'http://127.0.0.1:4200',
      databaseUrl: '.data/pglite',
      panelOrigins: ['https://client123.webflow-ext.com'],
      rateWindowMs: 60_000,
      trustedProxies: 0,
      unusedGraceDays: 7,
      webflow: {
        apiBaseUrl: 'https://api.webflow.com/v2',
        betaBaseUrl: 'https://api.webflow.com/beta',
        authorizeUrl: 'https://webflow.com/oauth/authorize',
        tokenUrl: 'https://api.webflow.com/oauth/access_token',
        clientId: 'client123',
        clientSecret: 'the-secret',
        scopes: INSTALL_SCOPES,
      },
    });
    expect(config.encryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.sessionSecret.toString()).toBe('x'.repeat(40));
  });

  it('takes the public URL, PostgreSQL, the panel origins and the proxies from the environment', async () => {
    const config = await loadConfig({
      ...production,
      PORT: '8080',
      PUBLIC_URL: 'https://desk.example.com',
      DATABASE_URL: 'postgres://desk@db.example/desk',
      PANEL_ORIGINS: ' https://a.webflow-ext.com , https://b.example ,',
      TRUSTED_PROXIES: '2',
      UNUSED_GRACE_DAYS: '14',
    });

    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://desk.example.com',
      databaseUrl: 'postgres://desk@db.example/desk',
      panelOrigins: ['https://a.webflow-ext.com', 'https://b.example'],
      trustedProxies: 2,
      unusedGraceDays: 14,
    });
    await expect(loadConfig({ ...production, UNUSED_GRACE_DAYS: '-1' })).rejects.toThrow(/UNUSED_GRACE_DAYS/);
    await expect(loadConfig({ ...production, UNUSED_GRACE_DAYS: 'a week' })).rejects.toThrow(/UNUSED_GRACE_DAYS/);
  });

  it('refuses half the credentials, missing secrets and a short key, saying what to set', async () => {
    await expect(loadConfig({ WEBFLOW_CLIENT_ID: 'client123' })).rejects.toThrow(/Set both WEBFLOW_CLIENT_ID and WEBFLOW_CLIENT_SECRET/);
    await expect(loadConfig({ ...production, ENCRYPTION_KEY: undefined })).rejects.toThrow(/ENCRYPTION_KEY \(32 bytes, base64\) and SESSION_SECRET/);
    await expect(loadConfig({ ...production, SESSION_SECRET: undefined })).rejects.toBeInstanceOf(ConfigError);
    await expect(loadConfig({ ...production, ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).rejects.toThrow(/ENCRYPTION_KEY must be 32 bytes/);
    await expect(loadConfig({ ...production, SESSION_SECRET: 'short' })).rejects.toThrow(/SESSION_SECRET must be at least 32 characters/);
    await expect(loadConfig({ ...production, PUBLIC_URL: 'not a url' })).rejects.toThrow(/PUBLIC_URL/);
  });
});

describe('the suggestion sources’ configuration', () => {
  it('reads text in images and sends nothing anywhere unless told', async () => {
    expect(suggestionsConfig({})).toEqual({ ocr: true, vision: null });
    expect((await loadConfig(production)).suggestions).toEqual({ ocr: true, vision: null });
    expect(suggestionsConfig({ SUGGESTIONS_OCR: 'off' }).ocr).toBe(false);
  });

  it('configures the vision model from VISION_BASE_URL, VISION_MODEL and VISION_API_KEY, with its concurrency and daily cap', () => {
    expect(suggestionsConfig({ VISION_BASE_URL: 'http://127.0.0.1:11434/v1', VISION_MODEL: 'llava', VISION_DAILY_CAP: '50', VISION_CONCURRENCY: '1' }).vision).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1', apiKey: null, model: 'llava', concurrency: 1, dailyCap: 50, timeoutMs: 30_000,
    });
    expect(suggestionsConfig({ VISION_BASE_URL: 'https://api.openai.com/v1', VISION_MODEL: 'gpt-4o-mini', VISION_API_KEY: 'sk-secret' }).vision).toMatchObject({ apiKey: 'sk-secret', concurrency: 2, dailyCap: 500 });
  });

  it('says what is wrong without repeating the key', () => {
    expect(() => suggestionsConfig({ VISION_BASE_URL: 'https://api.openai.com/v1' })).toThrow(/VISION_MODEL is not/);
    expect(() => suggestionsConfig({ VISION_API_KEY: 'sk-secret', VISION_MODEL: 'x' })).toThrow(/take effect only with VISION_BASE_URL/);
    expect(() => suggestionsConfig({ SUGGESTIONS_OCR: 'maybe' })).toThrow(ConfigError);
    expect(() => suggestionsConfig({ VISION_BASE_URL: 'ftp://example.com', VISION_MODEL: 'x', VISION_API_KEY: 'sk-secret' })).toThrow(/VISION_BASE_URL/);
    try {
      suggestionsConfig({ VISION_BASE_URL: 'ftp://example.com', VISION_MODEL: 'x', VISION_API_KEY: 'sk-secret' });
    } catch (error) {
      expect(String(error)).not.toContain('sk-secret');
    }
  });
});
