import { describe, expect, it } from 'vitest';
import {
  FlowVerificationError,
  createFlowWebhookVerifier,
  type FlowSignedRequest,
} from '../../lib/protocol/index.js';
import { flowEventBody, testRequest } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { mutateRequest, mutateText, prng } from '../support/webhook-mutations.js';

const secret = generateSecret();
const now = new Date('2026-07-08T09:10:11Z');
const verify = createFlowWebhookVerifier({ secrets: [secret], now: () => now });
const SEED = 0x5eed;
const INPUTS = 100_000;

/** What a signature commits to; an accepted input must match one valid original on all of it. */
function signedFacts(request: FlowSignedRequest): string {
  const h = request.headers as Record<string, string>;
  return JSON.stringify([
    request.method,
    request.url,
    h.date,
    h.digest,
    request.rawBody?.toString('base64'),
  ]);
}

describe('fuzzing the verifier', () => {
  it(`${INPUTS} random and mutated inputs: accepted only when equal to a signed original, never a crash`, () => {
    const random = prng(SEED);
    const originals = Array.from({ length: 64 }, (_, i) =>
      testRequest({
        secret,
        url: i % 2 === 0 ? '/webhook_receivers/flow' : `/hooks/${i}?a=${i}&b=%20`,
        date: new Date(now.getTime() + (random(1800) - 900) * 1000),
        body: flowEventBody({ id: `whkevt_${i}`, note: 'é✓'.repeat(i % 5) }),
      }),
    );
    const valid = new Set(originals.map(signedFacts));
    let accepted = 0;
    const reasons = new Map<string, number>();
    for (let n = 0; n < INPUTS; n++) {
      const original = originals[random(originals.length)];
      let input: FlowSignedRequest;
      if (n % 50 === 0) {
        // Pure noise: random headers and bytes.
        input = {
          method: mutateText('POST', random),
          url: mutateText('/x', random),
          headers: {
            authorization: mutateText('Signature keyId="a"', random),
            date: mutateText(now.toUTCString(), random),
            digest: mutateText('SHA-256=', random),
            'content-type': 'application/json',
          },
          rawBody: Buffer.from(mutateText('{}', random), 'latin1'),
        };
      } else {
        input = mutateRequest(original, originals[random(originals.length)], random);
      }
      try {
        verify(input);
        accepted++;
        expect(valid.has(signedFacts(input)), `seed ${SEED}, input ${n}`).toBe(true);
      } catch (error) {
        if (!(error instanceof FlowVerificationError))
          throw new Error(`input ${n} crashed the verifier: ${String(error)}`, { cause: error });
        expect(error.status).toBeLessThan(500);
        reasons.set(error.reason, (reasons.get(error.reason) ?? 0) + 1);
      }
    }
    // The fuzzer must exercise both outcomes and many checks, or it proves nothing.
    expect(accepted).toBeGreaterThan(100);
    expect(reasons.size).toBeGreaterThan(20);
    for (const original of originals) expect(verify(original).id).toMatch(/^whkevt_/);
  });
});
