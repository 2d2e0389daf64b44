// Times one of the module's verifiers against the floor in a process of its own, as a host runs
// one verifier: no second verifier of the same code in the process to share V8's feedback with.
// Arguments: `prepared|oneShot`, the body size in bytes, the timing budget as JSON. Prints the
// two tasks' timings as JSON.
import { assertVerifiesTo, moduleVerifier, verificationCase } from '../support/deliveries.js';
import { timeTasks, type TimingBudget } from '../support/timing.js';
import { floorVerifier } from './floor.js';

async function run(): Promise<void> {
  const [kind, bytesText, budgetText] = process.argv.slice(2);
  const { body, delivery, options } = verificationCase(Number(bytesText));
  const subject = moduleVerifier(kind, delivery, options);
  const floor = floorVerifier(delivery);
  const id = (JSON.parse(body.toString('utf8')) as { id: string }).id;
  assertVerifiesTo('floor', floor, id);
  assertVerifiesTo(kind, subject, id);
  const timings = await timeTasks({ floor, subject }, JSON.parse(budgetText) as TimingBudget);
  process.stdout.write(`${JSON.stringify(timings)}\n`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
