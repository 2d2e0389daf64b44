import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FlowEventDispatcher,
  FlowModule,
  MemoryFlowEventStore,
  RedisFlowEventStore,
  type FlowEventStore,
  type FlowWebhookOptions,
} from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { HandlerProbe, flowEvent, handlerModule, newEventId } from '../support/flow-events-app.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';

const STORES: Array<[string, () => FlowEventStore]> = [
  ['memory', () => new MemoryFlowEventStore()],
  ['redis', () => new RedisFlowEventStore({ url: redisUrl(), keyPrefix: `test:${randomUUID()}:` })],
];

/** Resolves once `condition` holds: waits on what happened, not on how long it usually takes. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

/** A gate a blocked handler waits on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe.each(STORES)('FlowEventDispatcher exactly-once rules (%s store)', (_name, makeStore) => {
  const contexts: INestApplicationContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function dispatcher(
    webhook: Omit<FlowWebhookOptions, 'path'> = {},
    store: FlowEventStore = makeStore(),
    wildcard?: HandlerProbe,
  ): Promise<{ dispatcher: FlowEventDispatcher; probe: HandlerProbe; logger: CaptureLogger }> {
    const probe = new HandlerProbe();
    const logger = new CaptureLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        FlowModule.forRoot({ apiSecret: generateSecret(), webhook: { store, ...webhook } }),
        handlerModule(probe, wildcard),
      ],
    })
      .setLogger(logger)
      .compile();
    const app = await moduleRef.init();
    contexts.push(app);
    return { dispatcher: app.get(FlowEventDispatcher), probe, logger };
  }

  it('runs the handlers of a first delivery once and acknowledges it; a repeat is acknowledged without running them', async () => {
    const { dispatcher: d, probe } = await dispatcher();
    const event = flowEvent(newEventId());
    expect(await d.dispatch(event)).toEqual({ outcome: 'processed', status: 200 });
    expect(await d.dispatch(event)).toEqual({ outcome: 'duplicate', status: 200 });
    expect(await d.dispatch({ ...event, data: { ...event.data, status: 'failed' } })).toEqual({
      outcome: 'duplicate',
      status: 200,
    });
    expect(probe.calls.get(event.id)).toBe(1);
  });

  it('answers 409 with Retry-After to a delivery of an id being processed, never running it twice at once', async () => {
    const { dispatcher: d, probe } = await dispatcher();
    const event = flowEvent(newEventId());
    const blocker = gate();
    probe.behaviour = () => blocker.wait;
    const first = d.dispatch(event);
    await until(() => probe.calls.has(event.id));
    const second = await d.dispatch(event);
    expect(second.outcome).toBe('in_progress');
    expect(second.status).toBe(409);
    expect(second.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    blocker.open();
    expect((await first).outcome).toBe('processed');
    expect((await d.dispatch(event)).outcome).toBe('duplicate');
    expect(probe.calls.get(event.id)).toBe(1);
    expect(probe.overlaps).toEqual([]);
  });

  it('releases the claim and answers 500 when a handler throws; the retry runs it again', async () => {
    const { dispatcher: d, probe } = await dispatcher();
    const event = flowEvent(newEventId());
    probe.behaviour = () => {
      throw new Error('database down');
    };
    expect(await d.dispatch(event)).toEqual({ outcome: 'failed', status: 500 });
    probe.behaviour = () => undefined;
    expect(await d.dispatch(event)).toEqual({ outcome: 'processed', status: 200 });
    expect(probe.calls.get(event.id)).toBe(2);
    expect(probe.completions.get(event.id)).toBe(1);
  });

  it('never marks an event done unless every handler succeeded', async () => {
    const store = makeStore();
    const wildcard = new HandlerProbe();
    const { dispatcher: d, probe } = await dispatcher({}, store, wildcard);
    const event = flowEvent(newEventId());
    let failNext = true;
    // The '*' handler succeeds, the status handler fails: the event must stay undone.
    probe.behaviour = () => {
      if (failNext) throw new Error('second handler failed');
    };
    expect((await d.dispatch(event)).status).toBe(500);
    expect(wildcard.completions.get(event.id)).toBe(1);
    expect(await store.claim(event.id, 'inspector', 1000)).toEqual({ state: 'claimed' });
    await store.release(event.id, 'inspector');
    failNext = false;
    expect((await d.dispatch(event)).outcome).toBe('processed');
    expect(wildcard.calls.get(event.id)).toBe(2);
    expect(probe.completions.get(event.id)).toBe(1);
  });

  it('dead-letters a poison event once after maxAttempts failures, then acknowledges it forever', async () => {
    const deadLetters: Array<{ id: string; error: unknown; attempts: number }> = [];
    const { dispatcher: d, probe } = await dispatcher({
      maxAttempts: 3,
      onDeadLetter: (event, error, attempts) =>
        void deadLetters.push({ id: event.id, error, attempts }),
    });
    const event = flowEvent(newEventId());
    let n = 0;
    probe.behaviour = () => {
      n += 1;
      throw new Error(`poison ${n}`);
    };
    expect((await d.dispatch(event)).status).toBe(500);
    expect((await d.dispatch(event)).status).toBe(500);
    expect(deadLetters).toEqual([]);
    expect(await d.dispatch(event)).toEqual({ outcome: 'dead_lettered', status: 200 });
    for (let i = 0; i < 3; i += 1)
      expect(await d.dispatch(event)).toEqual({ outcome: 'duplicate', status: 200 });
    expect(probe.calls.get(event.id)).toBe(3);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0].id).toBe(event.id);
    expect(deadLetters[0].attempts).toBe(3);
    expect((deadLetters[0].error as Error).message).toBe('poison 3');
  });

  it('logs a poison event as an error when no dead-letter hook is set', async () => {
    const { dispatcher: d, probe, logger } = await dispatcher({ maxAttempts: 1 });
    const event = flowEvent(newEventId());
    probe.behaviour = () => {
      throw new Error('never works');
    };
    expect((await d.dispatch(event)).outcome).toBe('dead_lettered');
    const lines = logger.find('error', 'acknowledged without success');
    expect(lines).toHaveLength(1);
    expect(lines[0].message).toContain(event.id);
    expect(lines[0].message).toContain('never works');
  });

  it('renews the lease while a handler slower than the lease runs, so it completes alone', async () => {
    const { dispatcher: d, probe } = await dispatcher({ leaseMs: 1000 });
    const event = flowEvent(newEventId());
    const blocker = gate();
    probe.behaviour = () => blocker.wait;
    const first = d.dispatch(event);
    await until(() => probe.calls.has(event.id));
    await sleep(2500); // more than two leases: only renewals keep the claim
    expect((await d.dispatch(event)).outcome).toBe('in_progress');
    blocker.open();
    expect((await first).outcome).toBe('processed');
    expect((await d.dispatch(event)).outcome).toBe('duplicate');
    expect(probe.calls.get(event.id)).toBe(1);
  });

  it('lets a second instance take over a lapsed claim; the first can then neither complete nor release it', async () => {
    const shared = makeStore();
    // The first instance's renewals fail (a network split): its lease lapses mid-handler.
    const partitioned: FlowEventStore = {
      claim: (...args) => shared.claim(...args),
      renew: () => Promise.reject(new Error('partitioned')),
      complete: (...args) => shared.complete(...args),
      release: (...args) => shared.release(...args),
      recordFailure: (...args) => shared.recordFailure(...args),
    };
    const a = await dispatcher({ leaseMs: 1000 }, partitioned);
    const b = await dispatcher({ leaseMs: 1000 }, shared);
    const succeeding = flowEvent(newEventId());
    const failing = flowEvent(newEventId());
    const aGate = gate();
    a.probe.behaviour = async (event) => {
      await aGate.wait;
      if (event.id === failing.id) throw new Error('late failure');
    };
    const bGate = gate();
    b.probe.behaviour = () => bGate.wait;

    const aSucceeding = a.dispatcher.dispatch(succeeding);
    const aFailing = a.dispatcher.dispatch(failing);
    await until(() => a.probe.calls.has(succeeding.id) && a.probe.calls.has(failing.id));
    await sleep(1500); // both claims were taken before the handlers started: their leases have lapsed
    const bSucceeding = b.dispatcher.dispatch(succeeding);
    const bFailing = b.dispatcher.dispatch(failing);
    await until(() => b.probe.calls.has(succeeding.id) && b.probe.calls.has(failing.id));
    aGate.open();
    // The first owner finishes after the takeover: its complete and its release are refused.
    expect((await aSucceeding).outcome).toBe('claim_lost');
    expect((await aFailing).outcome).toBe('claim_lost');
    // The new owner still holds both claims: nobody else may start them.
    expect((await b.dispatcher.dispatch(succeeding)).outcome).toBe('in_progress');
    expect((await b.dispatcher.dispatch(failing)).outcome).toBe('in_progress');
    bGate.open();
    expect((await bSucceeding).outcome).toBe('processed');
    expect((await bFailing).outcome).toBe('processed');
    expect((await a.dispatcher.dispatch(succeeding)).outcome).toBe('duplicate');
    expect((await a.dispatcher.dispatch(failing)).outcome).toBe('duplicate');
  });

  it('survives a host store whose renew throws instead of rejecting: logged, retried, the delivery still completes', async () => {
    const shared = makeStore();
    let renewCalls = 0;
    const throwing: FlowEventStore = {
      claim: (...args) => shared.claim(...args),
      // Not async: a driver that throws before it returns a promise.
      renew: () => {
        renewCalls += 1;
        throw new Error('pool is draining');
      },
      complete: (...args) => shared.complete(...args),
      release: (...args) => shared.release(...args),
      recordFailure: (...args) => shared.recordFailure(...args),
    };
    const { dispatcher: d, probe, logger } = await dispatcher({ leaseMs: 1000 }, throwing);
    const event = flowEvent(newEventId());
    const blocker = gate();
    probe.behaviour = () => blocker.wait;
    const first = d.dispatch(event);
    await until(() => renewCalls >= 2);
    blocker.open();
    expect((await first).outcome).toBe('processed');
    expect(logger.find('warn', 'pool is draining').length).toBeGreaterThanOrEqual(2);
  });

  it('lets a delivery still running at shutdown mark its id done before the store is closed', async () => {
    const store = makeStore();
    const { dispatcher: d, probe } = await dispatcher({}, store);
    const event = flowEvent(newEventId());
    const blocker = gate();
    probe.behaviour = () => blocker.wait;
    const running = d.dispatch(event);
    await until(() => probe.calls.has(event.id));
    let closed = false;
    const closing = contexts
      .splice(0)[0]
      .close()
      .then(() => (closed = true));
    await sleep(100);
    expect(closed).toBe(false);
    blocker.open();
    expect((await running).outcome).toBe('processed');
    await closing;
    expect(probe.completions.get(event.id)).toBe(1);
  });

  it('answers 503 and runs nothing when the store cannot be reached', async () => {
    const down: FlowEventStore = {
      claim: () => Promise.reject(new Error('ECONNREFUSED')),
      renew: () => Promise.resolve(false),
      complete: () => Promise.resolve(false),
      release: () => Promise.resolve(false),
      recordFailure: () => Promise.resolve(null),
    };
    const { dispatcher: d, probe, logger } = await dispatcher({}, down);
    const result = await d.dispatch(flowEvent(newEventId()));
    expect(result.status).toBe(503);
    expect(result.outcome).toBe('store_unavailable');
    expect(probe.totalCalls).toBe(0);
    expect(logger.find('warn', 'ECONNREFUSED')).toHaveLength(1);
  });

  it('answers 503 when the id cannot be marked done after the handlers ran, and runs them again on the retry', async () => {
    const shared = makeStore();
    let completeFails = true;
    const flaky: FlowEventStore = {
      claim: (...args) => shared.claim(...args),
      renew: (...args) => shared.renew(...args),
      complete: async (...args) => {
        if (completeFails) throw new Error('connection reset');
        return shared.complete(...args);
      },
      release: (...args) => shared.release(...args),
      recordFailure: (...args) => shared.recordFailure(...args),
    };
    const { dispatcher: d, probe } = await dispatcher({ leaseMs: 1000 }, flaky);
    const event = flowEvent(newEventId());
    expect((await d.dispatch(event)).status).toBe(503);
    completeFails = false;
    await sleep(1200); // the unreleased claim lapses with its lease
    expect((await d.dispatch(event)).outcome).toBe('processed');
    expect(probe.calls.get(event.id)).toBe(2);
  });

  it('acknowledges an event no handler listens to without touching the store, logging it at debug', async () => {
    const { dispatcher: d, probe, logger } = await dispatcher();
    const event = flowEvent(newEventId(), 'flow_session.retried');
    expect(await d.dispatch(event)).toEqual({ outcome: 'no_handler', status: 200 });
    expect(probe.totalCalls).toBe(0);
    expect(logger.find('debug', event.id)).toHaveLength(1);
  });

  it('refuses an event without a usable id', async () => {
    const { dispatcher: d, probe } = await dispatcher();
    expect((await d.dispatch({ ...flowEvent(''), id: '' })).status).toBe(400);
    expect((await d.dispatch({ ...flowEvent('x'), id: 'x'.repeat(129) })).status).toBe(400);
    expect(probe.totalCalls).toBe(0);
  });
});
