import { createHash, createHmac } from 'node:crypto';
import {
  createFlowWebhookVerifier,
  verifyFlowWebhook,
  type FlowWebhookVerifierOptions,
} from '../../lib/index.js';
import { EXAMPLE_WEBHOOK } from '../../test/fixtures/flow-protocol.js';
import {
  BENCH_SECRET,
  EXAMPLE_BODY,
  flowEventOfSize,
  signedDelivery,
  type BenchDelivery,
} from '../support/deliveries.js';
import { ratioFigure, type Figure, type Target } from '../support/figures.js';
import { timeTasks, type TimingBudget } from '../support/timing.js';
import {
  httpSignatureVerifier,
  standardWebhooksVerifier,
  stripeVerifier,
  type BoundVerifier,
} from './competitors.js';

/** The three body sizes of figure 2. */
export const VERIFICATION_SIZES = [
  {
    label: '340 B (the documented delivery)',
    bytes: 340,
    floorTarget: { kind: 'max', value: 1.3 },
  },
  { label: '16 KiB', bytes: 16 * 1024, floorTarget: undefined },
  { label: '1 MiB', bytes: 1024 * 1024, floorTarget: { kind: 'max', value: 1.1 } },
] as const satisfies ReadonlyArray<{
  label: string;
  bytes: number;
  floorTarget: Target | undefined;
}>;

/**
 * The floor, exactly as the issue words it: SHA-256 of the raw body for the Digest, one HMAC of
 * the signing string compared with `===`, and JSON.parse. No Authorization parsing (the signature
 * is handed over), no Date check, no constant-time compare: the work nobody can skip.
 */
export function floorVerifier(delivery: BenchDelivery): BoundVerifier {
  const { rawBody: body, headers, signature, url } = delivery;
  const secret = BENCH_SECRET;
  return () => {
    const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
    if (digest !== headers.digest) throw new Error('floor: digest mismatch');
    const signingString = `(request-target): post ${url}\ndate: ${headers.date}\ndigest: ${headers.digest}`;
    if (createHmac('sha256', secret).update(signingString).digest('base64') !== signature) {
      throw new Error('floor: bad signature');
    }
    return JSON.parse(body.toString('utf8')) as unknown;
  };
}

/** The floor comparison judged on the round where the ratio was worst (5 of 5 rounds must pass). */
function worstRoundFigure(
  common: Omit<Figure, 'baseline' | 'ratio' | 'status' | 'subjectValue' | 'baselineValue'>,
  target: Target,
  ours: number[],
  floor: number[],
): Figure {
  let worst = 0;
  for (let round = 1; round < ours.length; round++) {
    if (ours[round] / floor[round] > ours[worst] / floor[worst]) worst = round;
  }
  return ratioFigure(
    {
      ...common,
      subject: `${common.subject}, its worst of ${ours.length} rounds`,
      baseline: 'floor, same round',
      target,
    },
    ours[worst],
    floor[worst],
  );
}

function checkEvent(name: string, verify: BoundVerifier, expectedId: string): void {
  const event = verify() as { id?: unknown } | undefined;
  if (event?.id !== expectedId) throw new Error(`${name} did not return the delivered event`);
}

/**
 * Figure 2: on each body size, the floor, `verifyFlowWebhook` (one call with its options, as
 * documented for a single request) and the prepared `createFlowWebhookVerifier` (what the guard
 * and receiver run), and the three well-known verifiers doing their own scheme's work.
 */
export async function benchVerification(
  budget: TimingBudget,
  sizes = VERIFICATION_SIZES,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const size of sizes) {
    const body = size.bytes === 340 ? EXAMPLE_BODY : flowEventOfSize(size.bytes);
    const delivery = signedDelivery(body);
    if (size.bytes === 340 && delivery.headers.authorization !== EXAMPLE_WEBHOOK.authorization) {
      throw new Error('the benchmark does not sign the documented delivery as documented');
    }
    const options: FlowWebhookVerifierOptions = {
      secrets: [BENCH_SECRET],
      apiKeys: [EXAMPLE_WEBHOOK.keyId],
      maxBodyBytes: Math.max(size.bytes, 1024 * 1024),
      now: () => delivery.signedAt,
    };
    const prepared = createFlowWebhookVerifier(options);
    const tasks: Record<string, BoundVerifier> = {
      floor: floorVerifier(delivery),
      prepared: () => prepared(delivery),
      oneShot: () => verifyFlowWebhook(delivery, options),
      httpSignature: httpSignatureVerifier(delivery),
      stripe: stripeVerifier(delivery),
      standardwebhooks: standardWebhooksVerifier(delivery),
    };
    const id = (JSON.parse(body.toString('utf8')) as { id: string }).id;
    for (const [name, verify] of Object.entries(tasks)) checkEvent(name, verify, id);

    const t = await timeTasks(tasks, budget);
    const section = `Verification, ${size.label}`;
    const subjects = [
      ['prepared', "`createFlowWebhookVerifier` (prepared once; the guard's path)"],
      ['oneShot', '`verifyFlowWebhook` (options given on each call)'],
    ] as const;
    for (const [key, subject] of subjects) {
      const ours = t[key].nsPerOp;
      const profile = {
        name: `${key}-${size.bytes}`,
        subject: { kind: 'in-process', subject: `${key}:${size.bytes}` } as const,
      };
      const common = { section, subject, unit: 'ns/op' as const, profile };
      figures.push(
        ratioFigure(
          { ...common, baseline: 'floor', target: size.floorTarget },
          ours,
          t.floor.nsPerOp,
        ),
        // The target holds in every round, not only the median one: the worst round is judged too.
        ...(size.floorTarget === undefined
          ? []
          : [worstRoundFigure(common, size.floorTarget, t[key].perRound, t.floor.perRound)]),
        ratioFigure(
          {
            ...common,
            baseline: '`http-signature` parse + verifyHMAC + digest',
            target: { kind: 'below', value: 1 },
          },
          ours,
          t.httpSignature.nsPerOp,
        ),
        ratioFigure(
          {
            ...common,
            baseline: '`standardwebhooks` `Webhook.verify`',
            target: { kind: 'below', value: 1 },
          },
          ours,
          t.standardwebhooks.nsPerOp,
        ),
        ratioFigure(
          {
            ...common,
            baseline: '`stripe` `webhooks.constructEvent`',
            target: { kind: 'max', value: 1.1 },
          },
          ours,
          t.stripe.nsPerOp,
        ),
      );
    }
  }
  return figures;
}
