import { describe, expect, it } from 'vitest';
import { observeEventStore } from '../../lib/events/observed-event-store.js';
import type {
  FlowDeliveryTransaction,
  FlowTransactionalEventStore,
} from '../../lib/events/flow-event-transactions.js';
import { NOOP_FLOW_TELEMETRY, type FlowTelemetry } from '../../lib/telemetry/flow-telemetry.js';

/** A recorder that keeps each store operation as `kind operation outcome`. */
function recordingTelemetry(): FlowTelemetry & { operations: string[] } {
  const operations: string[] = [];
  return {
    ...NOOP_FLOW_TELEMETRY,
    enabled: true,
    operations,
    storeOperation: (kind, operation, ok) =>
      operations.push(`${kind} ${operation} ${ok ? 'ok' : 'error'}`),
  };
}

/** What the host's handlers write through. */
type HostTransaction = { client: string };

/** A transactional store of the host's own whose delivery transaction fails as told. */
function customStore(unit: FlowDeliveryTransaction<HostTransaction>) {
  const refuse = () => Promise.reject(new Error('not used in transactional mode'));
  return {
    claim: refuse,
    complete: refuse,
    release: refuse,
    recordFailure: refuse,
    transactions: { begin: () => Promise.resolve({ state: 'claimed' as const, delivery: unit }) },
  } as unknown as FlowTransactionalEventStore<HostTransaction>;
}

/** A delivery transaction whose steps all succeed, but for those `steps` replaces. */
function deliveryTransaction(
  steps: Partial<FlowDeliveryTransaction<HostTransaction>> = {},
): FlowDeliveryTransaction<HostTransaction> {
  return {
    transaction: { client: 'the host client' },
    commit: () => Promise.resolve(true),
    fail: () => Promise.resolve(2),
    end: () => Promise.resolve(),
    abort: () => Promise.resolve(),
    ...steps,
  };
}

/** The store as the dispatcher sees it, counting into `telemetry`. */
function observed(unit: FlowDeliveryTransaction<HostTransaction>, telemetry: FlowTelemetry) {
  return observeEventStore(
    customStore(unit),
    telemetry,
  ) as FlowTransactionalEventStore<HostTransaction>;
}

describe('store operations of a delivery transaction', () => {
  it('counts a commit that rejects as an error and the rollback after it, passing both results on', async () => {
    const lost = new Error('connection lost');
    const calls: string[] = [];
    const unit = deliveryTransaction({
      commit: () => {
        calls.push('commit');
        return Promise.reject(lost);
      },
      abort: () => {
        calls.push('abort');
        return Promise.resolve();
      },
    });
    const telemetry = recordingTelemetry();
    const view = observed(unit, telemetry);

    const begun = await view.transactions.begin('whkevt_observed');
    if (begun.state !== 'claimed') throw new Error(`expected a claim, got ${begun.state}`);
    // The handlers get the host's own transaction object, not a copy.
    expect(begun.delivery.transaction).toBe(unit.transaction);
    await expect(begun.delivery.commit(1000)).rejects.toBe(lost);
    await begun.delivery.abort();

    expect(calls).toEqual(['commit', 'abort']);
    expect(telemetry.operations).toEqual([
      'custom begin ok',
      'custom complete error',
      'custom abort ok',
    ]);
  });

  it('counts a failed attempt and the end of the transaction under the row-by-row names', async () => {
    const telemetry = recordingTelemetry();
    const view = observed(deliveryTransaction(), telemetry);
    const begun = await view.transactions.begin('whkevt_observed');
    if (begun.state !== 'claimed') throw new Error(`expected a claim, got ${begun.state}`);
    await expect(begun.delivery.fail(1000)).resolves.toBe(2);
    await begun.delivery.end();
    expect(telemetry.operations).toEqual([
      'custom begin ok',
      'custom record_failure ok',
      'custom release ok',
    ]);
  });

  it('leaves a store untouched when telemetry records nothing', () => {
    const store = customStore(deliveryTransaction());
    expect(observeEventStore(store, NOOP_FLOW_TELEMETRY)).toBe(store);
  });
});
