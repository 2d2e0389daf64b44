import { createHash, createHmac, createSecretKey } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FlowModule, FlowSigner } from '../../lib/index.js';
import { createFlowRequestSigner } from '../../lib/protocol/index.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SIGNATURE,
} from '../../test/fixtures/flow-protocol.js';
import { BENCH_SECRET } from '../support/deliveries.js';
import { ratioFigure, type Figure } from '../support/figures.js';
import { timeTasks, type TimingBudget } from '../support/timing.js';

/**
 * Figure 1: `FlowSigner.sign` (obtained from the module, as a host injects it) against a bare
 * `createHmac('sha256', secret).update(ref).digest('base64')` on the documented reference.
 */
export async function benchSigning(budget: TimingBudget): Promise<Figure[]> {
  const context = await NestFactory.createApplicationContext(
    FlowModule.forRoot({ apiSecret: BENCH_SECRET }),
    { logger: false },
  );
  try {
    const signer = context.get(FlowSigner);
    const secret = BENCH_SECRET;
    const reference = EXAMPLE_CUSTOMER_REFERENCE;
    const floor = () => createHmac('sha256', secret).update(reference).digest('base64');
    const sign = () => signer.sign(reference);
    if (floor() !== EXAMPLE_SIGNATURE || sign() !== EXAMPLE_SIGNATURE) {
      throw new Error('signing does not reproduce the documented signature');
    }
    const timings = await timeTasks({ floor, sign }, budget);
    const apiFigures = await benchApiRequestSigning(budget);
    return [
      ratioFigure(
        {
          section: 'Signing',
          subject: '`FlowSigner.sign`',
          baseline: "floor: `createHmac(…).update(ref).digest('base64')`",
          unit: 'ns/op',
          target: { kind: 'max', value: 1.1 },
          profile: { name: 'sign', subject: { kind: 'in-process', subject: 'sign' } },
        },
        timings.sign.nsPerOp,
        timings.floor.nsPerOp,
      ),
      ...apiFigures,
    ];
  } finally {
    await context.close();
  }
}

/** The body of `createFlowSession` for a shareable session, as the client sends it. */
const API_BODY = JSON.stringify({
  shareable: true,
  template_id: 'flwtmp_benchtemplate0001',
  user: { customer_reference: EXAMPLE_CUSTOMER_REFERENCE, email: 'ada@example.com' },
});
const API_PATH = '/flow_sessions?idempotent=true';
const API_KEY = 'live_key_0123456789abcdef0123456789abcdef';

/**
 * Signing one API request as `FlowApiClient` does (the prepared `createFlowRequestSigner`: Digest,
 * signing string, HMAC, Authorization) against the floor: SHA-256 of the body plus the HMAC of
 * the same signing string, with the key prepared once. Both get the same `Date` text, so the
 * clock is not measured.
 */
async function benchApiRequestSigning(budget: TimingBudget): Promise<Figure[]> {
  const date = 'Tue, 01 Dec 2026 12:00:00 GMT';
  const signer = createFlowRequestSigner({ secret: BENCH_SECRET, keyId: API_KEY });
  // A key longer than SHA-256's block is replaced by its hash (RFC 2104): done once, as the signer does.
  const key = createSecretKey(createHash('sha256').update(BENCH_SECRET).digest());
  const floor = () => {
    const digest = `SHA-256=${createHash('sha256').update(API_BODY).digest('base64')}`;
    return createHmac('sha256', key)
      .update(`(request-target): post ${API_PATH}\ndate: ${date}\ndigest: ${digest}`)
      .digest('base64');
  };
  const sign = () => signer({ method: 'POST', path: API_PATH, body: API_BODY, date }).authorization;
  if (!sign().endsWith(`signature="${floor()}"`)) {
    throw new Error('the API request signer and the floor disagree on the signature');
  }
  const timings = await timeTasks({ floor, sign }, budget);
  return [
    ratioFigure(
      {
        section: 'Signing',
        subject: 'one API request (`createFlowRequestSigner`, as `FlowApiClient` signs)',
        baseline: 'floor: SHA-256 of the body + HMAC of the signing string',
        unit: 'ns/op',
        target: { kind: 'max', value: 1.25 },
      },
      timings.sign.nsPerOp,
      timings.floor.nsPerOp,
    ),
  ];
}
