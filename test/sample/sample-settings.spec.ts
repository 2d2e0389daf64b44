import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret } from '../support/test-secrets.js';
import { ALICE, getJson, logIn, startSample } from './sample-test-app.js';

function hmac(secret: string, reference: string): string {
  return createHmac('sha256', secret).update(reference, 'utf8').digest('base64');
}

describe('the sample app without Flow keys', () => {
  it('renders with marked placeholders and signs with them in the answer', async () => {
    const secret = generateSecret();
    const sample = await startSample({
      FLOW_API_SECRET: secret,
      FLOW_SCRIPT_URL: 'https://flow.test/flow.js',
    });
    try {
      const settings = await getJson(sample.baseUrl, '/api/sample/config');
      expect(settings.body.placeholders).toStrictEqual({ publishableKey: true, templateId: true });
      expect(settings.body.flowScriptUrl).toBe('https://flow.test/flow.js');
      const answer = await getJson(
        sample.baseUrl,
        '/api/users/current/flow_signature',
        await logIn(sample.baseUrl, ALICE),
      );
      expect(answer.body.publishableKey).toMatch(/^PLACEHOLDER_/);
      expect(answer.body.templateId).toMatch(/^PLACEHOLDER_/);
      expect(answer.body.user.signature).toBe(hmac(secret, ALICE.id));
    } finally {
      await sample.close();
    }
  });
});

describe('the sample with unusable Flow settings', () => {
  it('refuses to start, naming the variable to fix and never its value', async () => {
    const padded = `${generateSecret()}\n`;
    const error = await startSample({ FLOW_API_SECRET: padded }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toContain('FLOW_API_SECRET');
    expect(error?.message).not.toContain(padded.trim());
  });

  it('refuses keys of two environments', async () => {
    const error = await startSample({
      FLOW_API_SECRET: generateSecret('sandbox'),
      FLOW_PUBLISHABLE_KEY: 'live_publishable_key_0123456789abcdef0123456789abcdef',
    }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(/sandbox key but publishableKey is a live key/);
  });
});
