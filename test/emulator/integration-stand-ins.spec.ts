/**
 * Stand-ins for the public integrations of FLOW-PROTOCOL §6 (an identity service's webhook
 * receiver, a Laravel app's API calls), written here from how those apps are described to read
 * and sign: they recompute and compare the whole Authorization header, hard-code `post` in the
 * request target, destructure `user.id_number`, read `documentary_verification` without a null
 * check, and index answers as PHP arrays (a missing key is an error). They share no code with the
 * package: every byte they send or check is computed here with node:crypto.
 */
/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   The stand-ins read answers untyped on purpose, as the JavaScript and PHP apps they mirror do. */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/testing/index.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_5e55105e55105e55105e55105e55105e';
const templateId = 'flwtmp_standins000001';

/** The identity service's API call: its own signer, JSON:API headers, a GET of the session. */
async function identityServiceGet(base: string, id: string): Promise<Record<string, any>> {
  const path = `/flow_sessions/${id}`;
  const date = new Date().toUTCString();
  const digest = `SHA-256=${createHash('sha256').update('').digest('base64')}`;
  const signature = createHmac('sha256', secret)
    .update(`(request-target): get ${path}\ndate: ${date}\ndigest: ${digest}`)
    .digest('base64');
  const response = await fetch(base + path, {
    headers: {
      Date: date,
      Digest: digest,
      Authorization: `Signature keyId="${apiKey}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`,
      'Cognito-Version': '2020-08-14',
      Accept: 'application/vnd.api+json',
    },
  });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as Record<string, any>;
}

/** What the identity service's receiver recorded. */
interface Recorded {
  accepted: number;
  rejected: number;
  ignored: string[];
  identities: Array<{
    session: string;
    ssn: string;
    category: string;
    type: string;
    document: string;
  }>;
  crashes: string[];
}

/**
 * The identity service's webhook receiver: the whole expected Authorization header recomputed
 * and compared as one string, `post` hard-coded; on a status event it reads the session from the
 * API and destructures the verified identity without checks; `canceled` is ignored.
 */
function identityServiceReceiver(apiBase: () => string, recorded: Recorded) {
  return async (request: IncomingMessage, raw: Buffer): Promise<number> => {
    const digest = `SHA-256=${createHash('sha256').update(raw).digest('base64')}`;
    const signingString = `(request-target): post ${request.url}\ndate: ${request.headers.date}\ndigest: ${digest}`;
    const signature = createHmac('sha256', secret).update(signingString).digest('base64');
    const expected = `Signature keyId="${apiKey}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`;
    if (request.headers.authorization !== expected || request.headers.digest !== digest) {
      recorded.rejected += 1;
      return 401;
    }
    recorded.accepted += 1;
    const event = JSON.parse(raw.toString('utf8'));
    if (event.event !== 'flow_session.status.updated') return 200;
    if (event.data.status !== 'success') {
      recorded.ignored.push(event.data.status);
      return 200;
    }
    try {
      const session = await identityServiceGet(apiBase(), event.data.id);
      const userInfo = session.user;
      const { id_number } = userInfo;
      const { value, category, type } = id_number;
      const [document] = session.documentary_verification.documents;
      recorded.identities.push({
        session: session.id,
        ssn: value,
        category,
        type,
        document: document.extracted_data.id_number,
      });
    } catch (error) {
      recorded.crashes.push((error as Error).message);
      return 500;
    }
    return 200;
  };
}

/** PHP's `$array['key']`: a missing key is an error, as in the Laravel app. */
function key(array: Record<string, any>, name: string): any {
  if (!Object.hasOwn(array, name)) throw new Error(`Undefined array key "${name}"`);
  return array[name];
}

/** The Laravel app's POST: its own header order and JSON encoding, signed over the body it sends. */
async function laravelPost(base: string, path: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const date = new Date().toUTCString();
  const digest = `SHA-256=${createHash('sha256').update(body, 'utf8').digest('base64')}`;
  const signature = createHmac('sha256', secret)
    .update(`(request-target): post ${path}\ndate: ${date}\ndigest: ${digest}`)
    .digest('base64');
  const response = await fetch(base + path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/vnd.api+json',
      Accept: 'application/vnd.api+json',
      'Cognito-Version': '2020-08-14',
      Date: date,
      Digest: digest,
      Authorization: `Signature keyId="${apiKey}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`,
    },
    body,
  });
  return { status: response.status, data: (await response.json()) as Record<string, any> };
}

let emulator: FlowEmulator;
let receiver: Server;
const recorded: Recorded = { accepted: 0, rejected: 0, ignored: [], identities: [], crashes: [] };

beforeAll(async () => {
  const handle = identityServiceReceiver(() => emulator.apiBaseUrl, recorded);
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void handle(request, Buffer.concat(chunks)).then((status) =>
        response.writeHead(status).end(),
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  emulator = await startFlowEmulator({
    keys: { apiSecret: secret, apiKey, templateId },
    steps: ['accept_tos', 'verify_sms', 'kyc_check', 'documentary_verification', 'selfie_check'],
    webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook_receivers/flow`,
    retryDelaysMs: [],
  });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('integrations written as the public ones read, against the emulator', () => {
  it("the identity service's receiver accepts every webhook and reads the verified identity", async () => {
    await emulator.pass('identity-1');
    expect(recorded.crashes).toStrictEqual([]);
    expect(recorded.rejected).toBe(0);
    expect(recorded.accepted).toBe(6);
    expect(recorded.identities).toStrictEqual([
      {
        session: emulator.sessions[0].id,
        ssn: '123456789',
        category: 'tax_id',
        type: 'us_ssn',
        document: 'EMU0000001',
      },
    ]);
  });

  it("the Laravel app creates, reads its keys, retries; the receiver ignores the old session's canceled", async () => {
    const created = await laravelPost(emulator.apiBaseUrl, '/flow_sessions?idempotent=true', {
      shareable: true,
      template_id: templateId,
      user: { customer_reference: 'laravel-1', email: 'l@example.com' },
    });
    expect(created.status).toBe(201);
    const user = key(created.data, 'user');
    expect(key(user, 'email')).toBe('l@example.com');
    expect(key(user, 'id_number')).toBeNull();
    expect(key(created.data, 'shareable_url')).toMatch(/\?key=[0-9a-f]{64}$/);
    const again = await laravelPost(emulator.apiBaseUrl, '/flow_sessions?idempotent=true', {
      shareable: true,
      template_id: templateId,
      user: { customer_reference: 'laravel-1', email: 'l@example.com' },
    });
    expect([again.status, key(again.data, 'id')]).toStrictEqual([200, key(created.data, 'id')]);

    await emulator.fail('laravel-1');
    const retried = await laravelPost(emulator.apiBaseUrl, '/flow_sessions/retry', {
      customer_reference: 'laravel-1',
      template_id: templateId,
      strategy: 'reset',
    });
    expect(retried.status).toBe(201);
    expect(key(retried.data, 'previous_session_id')).toBe(key(created.data, 'id'));
    expect(key(key(retried.data, 'user'), 'email')).toBe('l@example.com');
    expect(recorded.ignored).toStrictEqual(['failed', 'canceled']);
    expect(recorded.crashes).toStrictEqual([]);
    expect(recorded.rejected).toBe(0);
  });

  it('the documented session shape holds for every status the emulator produces', async () => {
    for (const status of ['expired', 'canceled', 'pending_review'] as const) {
      const session = await emulator.end(`shape-${status}`, status);
      const read = await identityServiceGet(emulator.apiBaseUrl, session.id);
      expect(read.status).toBe(status);
      // The receiver's reads never meet an undefined: user and its keys always exist.
      for (const field of [
        'name',
        'email',
        'phone',
        'address',
        'id_number',
        'ip_address',
        'date_of_birth',
      ])
        expect(Object.hasOwn(key(read, 'user'), field), field).toBe(true);
      expect(Object.hasOwn(read, 'documentary_verification')).toBe(true);
    }
    expect(recorded.ignored.slice(-3)).toStrictEqual(['expired', 'canceled', 'pending_review']);
  });
});
