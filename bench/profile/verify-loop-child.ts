// Run under `node --cpu-prof`: calls one in-process subject in a loop for a few seconds, so its
// profile shows where the time goes. Subjects: `sign`, `prepared:<bytes>`, `oneShot:<bytes>`.
import { NestFactory } from '@nestjs/core';
import { FlowModule, FlowSigner } from '../../lib/index.js';
import { EXAMPLE_CUSTOMER_REFERENCE } from '../../test/fixtures/flow-protocol.js';
import { BENCH_SECRET, moduleVerifier, verificationCase } from '../support/deliveries.js';

async function subjectFunction(subject: string): Promise<() => unknown> {
  if (subject === 'sign') {
    const context = await NestFactory.createApplicationContext(
      FlowModule.forRoot({ apiSecret: BENCH_SECRET }),
      { logger: false },
    );
    const signer = context.get(FlowSigner);
    return () => signer.sign(EXAMPLE_CUSTOMER_REFERENCE);
  }
  const [kind, bytesText] = subject.split(':');
  const { delivery, options } = verificationCase(Number(bytesText));
  return moduleVerifier(kind, delivery, options);
}

async function run(): Promise<void> {
  const [subject, secondsText] = process.argv.slice(2);
  const fn = await subjectFunction(subject);
  const end = Date.now() + Number(secondsText ?? 5) * 1000;
  let calls = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 20; i++) fn();
    calls += 20;
  }
  process.stdout.write(`${JSON.stringify({ calls })}\n`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
