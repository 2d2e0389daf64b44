import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';

let emulator: FlowEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

// The host app's page: the emulator is told its origin, as the allow-list's only entry.
const APP = { allowedOrigins: ['http://localhost:3000'], development: true };

/** What flow.js sends on open(), from a page on `origin`. */
async function open(
  e: FlowEmulator,
  user: Record<string, unknown>,
  origin = 'http://localhost:3000',
) {
  const response = await fetch(`${e.apiBaseUrl}/emulator/open`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', Origin: origin },
    body: JSON.stringify({
      publishableKey: e.keys.publishableKey,
      templateId: e.keys.templateId,
      user,
    }),
  });
  const json = (await response.json()) as {
    created?: boolean;
    warning?: string;
    session?: { id: string; customer_reference: string };
    errors?: Array<{ code: string; message: string }>;
  };
  return { status: response.status, json };
}

describe('flow.js unsigned references, as Flow treats them', () => {
  it('opens with a warning and counts each new session; past the limit it refuses, as Cognito does', async () => {
    emulator = await startFlowEmulator({ ...APP, unsignedSessionLimit: 2 });
    const first = await open(emulator, { customerReference: 'u-1' });
    expect(first.status).toBe(201);
    expect(first.json.warning).toMatch(/signature is missing.*first 2 sessions only \(1 used\)/);
    // Resuming the same session is not a new one.
    expect((await open(emulator, { customerReference: 'u-1' })).status).toBe(200);
    expect(emulator.unsignedSessions).toBe(1);
    expect((await open(emulator, { customerReference: 'u-2' })).json.warning).toMatch(/2 used/);
    expect(emulator.unsignedSessions).toBe(2);
    const refused = await open(emulator, { customerReference: 'u-3' });
    expect(refused.status).toBe(403);
    expect(refused.json.errors?.[0].code).toBe('unsigned_limit_reached');
    expect(refused.json.errors?.[0].message).toMatch(/requires user\.signature/);
    expect(emulator.sessions.map((s) => s.customer_reference)).toStrictEqual(['u-1', 'u-2']);
    // A signed reference still opens, and is not counted.
    const signature = createHmac('sha256', emulator.keys.apiSecret).update('u-3').digest('base64');
    const signed = await open(emulator, { customerReference: 'u-3', signature });
    expect([signed.status, signed.json.warning]).toStrictEqual([201, undefined]);
    expect(emulator.unsignedSessions).toBe(2);
  });

  it('allows 100 unsigned sessions by default', async () => {
    emulator = await startFlowEmulator(APP);
    for (let i = 0; i < 100; i += 1)
      expect((await open(emulator, { customerReference: `n-${i}` })).status).toBe(201);
    expect((await open(emulator, { customerReference: 'n-100' })).status).toBe(403);
  });

  it('opens a numeric reference, signed over its decimal string, stored as that string', async () => {
    emulator = await startFlowEmulator(APP);
    const over = createHmac('sha256', emulator.keys.apiSecret).update('1234').digest('base64');
    const answer = await open(emulator, { customerReference: 1234, signature: over });
    expect(answer.status).toBe(201);
    expect(answer.json.session?.customer_reference).toBe('1234');
    expect((await open(emulator, { customerReference: 12.5, signature: over })).status).toBe(422);
  });
});

describe("flow.js and the dashboard's domain allow-list", () => {
  it('refuses a page origin not on the list, accepts one on it', async () => {
    // The app's receiver is on 127.0.0.1:3000, so its pages there may call the emulator; but the
    // dashboard's list does not have that origin.
    emulator = await startFlowEmulator({
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      development: true,
      webhookUrl: 'http://127.0.0.1:3000/webhook_receivers/flow',
    });
    const listed = await open(emulator, { customerReference: 'o-1' }, 'https://app.example.com');
    expect(listed.status).toBe(201);
    expect(
      (await open(emulator, { customerReference: 'o-2' }, 'http://localhost:3000')).status,
    ).toBe(201);
    const unlisted = await open(emulator, { customerReference: 'o-3' }, 'http://127.0.0.1:3000');
    expect(unlisted.status).toBe(403);
    expect(unlisted.json.errors?.[0].code).toBe('origin_not_allowed');
    expect(unlisted.json.errors?.[0].message).toContain('domain allow-list');
    // Origins the emulator was never told about are refused before the list is looked at.
    for (const origin of [
      'https://evil.example.com',
      'http://app.example.com',
      'https://app.example.com:8443',
      'null',
    ]) {
      const refused = await open(emulator, { customerReference: 'o-3' }, origin);
      expect(refused.status, origin).toBe(403);
      expect(refused.json.errors?.[0].code).toBe('cross_site');
    }
    expect(emulator.sessions.map((s) => s.customer_reference)).toStrictEqual(['o-1', 'o-2']);
  });

  it('takes https origins only, loopback http only in development, no wildcard or path', async () => {
    const bad = [
      [['http://app.example.com'], true],
      [['http://localhost:3000'], false],
      [['https://*.example.com'], true],
      [['https://app.example.com/'], true],
      [['https://app.example.com/path'], true],
      [['not a url'], true],
    ] as const;
    for (const [allowedOrigins, development] of bad)
      await expect(
        startFlowEmulator({ allowedOrigins, development }),
        String(allowedOrigins),
      ).rejects.toMatchObject({ code: 'invalid_option' });
  });

  it('gives each customer reference the identity configured for it', async () => {
    emulator = await startFlowEmulator({
      users: { 'id-1': { name: { first: 'Grace', last: 'Hopper' }, id_number: null } },
    });
    const configured = await emulator.pass('id-1');
    expect(configured.user.name).toStrictEqual({ first: 'Grace', last: 'Hopper' });
    expect(configured.user.id_number).toBeNull();
    expect(configured.user.phone).toBe('+12025550143');
    const other = await emulator.pass('id-2');
    expect(other.user.name).toStrictEqual({ first: 'Jordan', last: 'Tester' });
    expect(other.user.id_number).toStrictEqual({
      value: '123456789',
      category: 'tax_id',
      type: 'us_ssn',
    });
  });
});
