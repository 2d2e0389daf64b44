import { createHmac } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FlowModule, FlowSigner } from '../../lib/index.js';
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
    ];
  } finally {
    await context.close();
  }
}
