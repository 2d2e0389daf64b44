import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusalLog } from '../../lib/webhook/refusal-log.js';
import {
  WEBHOOK_PLATFORMS,
  startWebhookApp,
  type WebhookApp,
} from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const PATH = '/webhook_receivers/flow';

describe('RefusalLog', () => {
  it('writes the first refusal of each reason at once, then one line per interval with the count left out', () => {
    const lines: string[] = [];
    let now = 1_000_000;
    const log = new RefusalLog({ warn: (line) => lines.push(line) }, 60_000, () => now);
    log.refused('bad_signature', 'first bad');
    for (let i = 0; i < 999; i++) log.refused('bad_signature', 'flooded');
    log.refused('stale_date', 'first stale');
    expect(lines).toEqual(['first bad', 'first stale']);
    now += 59_999;
    log.refused('bad_signature', 'still inside');
    expect(lines).toHaveLength(2);
    now += 1;
    log.refused('bad_signature', 'next window');
    expect(lines[2]).toBe(
      'next window (1000 more refused for bad_signature since the last line, not logged)',
    );
    now += 60_000;
    log.refused('bad_signature', 'quiet again');
    expect(lines[3]).toBe('quiet again');
  });
});

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))('a flood of refusals on %s', (platform) => {
  let host: WebhookApp;
  beforeAll(async () => {
    host = await startWebhookApp(platform, { apiSecret: secret });
  });
  afterAll(async () => {
    await host.app.close();
  });

  it('writes one line per reason, however many requests are refused', async () => {
    const body = flowEventBody();
    const unsigned = { 'content-type': 'application/json' };
    const forged = testHeaders({ secret: generateSecret(), body, url: PATH });
    for (let i = 0; i < 300; i++) {
      const headers = i % 2 === 0 ? unsigned : forged;
      const response = await fetch(`${host.baseUrl}${PATH}`, { method: 'POST', headers, body });
      expect(response.status).toBe(401);
    }
    const refusals = host.logger.lines.filter((line) => line.text.startsWith('Refused'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0].text).toMatch(
      /^Refused Flow webhook POST \/webhook_receivers\/flow.*: missing_authorization/,
    );
    expect(refusals[1].text).toMatch(
      /^Refused Flow webhook POST \/webhook_receivers\/flow.*: bad_signature/,
    );
  });
});
