import type { Logger } from '@nestjs/common';
import type { FlowEventStore } from './flow-event-store.interface.js';

/** A running lease renewal; `stop()` ends it. */
export interface LeaseRenewal {
  /** Stops renewing; results of a renewal still in flight are ignored. */
  stop(): void;
  /** True once the store said the claim belongs to someone else. */
  readonly lost: boolean;
}

/**
 * Renews a claim every third of its lease while handlers run, so a slow handler keeps it.
 * A renewal the store refuses means the lease lapsed and another owner took the id: logged once.
 * A renewal that fails (store down) is logged and tried again on the next tick.
 */
export function renewLease(
  store: FlowEventStore,
  id: string,
  token: string,
  leaseMs: number,
  logger: Logger,
): LeaseRenewal {
  let stopped = false;
  let lost = false;
  let inFlight = false;
  const timer = setInterval(
    () => {
      if (stopped || inFlight) return;
      inFlight = true;
      // Through a promise: a host store that throws instead of rejecting must not crash the process from a timer.
      Promise.resolve()
        .then(() => store.renew(id, token, leaseMs))
        .then((owned) => {
          if (stopped || owned) return;
          lost = true;
          stopped = true;
          clearInterval(timer);
          logger.warn(`Flow event ${id}: its claim expired and was taken over while handlers ran.`);
        })
        .catch((error: unknown) => {
          if (!stopped)
            logger.warn(
              `Flow event ${id}: lease renewal failed: ${(error as Error)?.message ?? error}`,
            );
        })
        .finally(() => {
          inFlight = false;
        });
    },
    Math.max(Math.floor(leaseMs / 3), 50),
  );
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    get lost() {
      return lost;
    },
  };
}
