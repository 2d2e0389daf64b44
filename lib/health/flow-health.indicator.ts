import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import {
  createModuleFlowApiClient,
  type FlowApiClientSettings,
} from '../api/flow-api-client.provider.js';
import { probeFlowApi } from '../api/flow-api-probe.js';
import { FLOW_EVENT_STORE } from '../events/events.constants.js';
import { FlowEventStoreUnavailableError } from '../events/flow-event-store.error.js';
import type { FlowEventStore } from '../events/flow-event-store.interface.js';
import { withTimeout } from '../events/redis-connection.js';
import { FLOW_OPTIONS } from '../flow.constants.js';
import {
  API_CHECK_CACHE_MS,
  API_CHECK_TIMEOUT_MS,
  STORE_CHECK_TIMEOUT_MS,
  checkMs,
  type FlowApiCheckOptions,
  type FlowStoreCheckOptions,
} from './flow-health-options.js';
import { apiDownReason, storeDownReason } from './health-reasons.js';

/** The last API verdict: the reason it is down (undefined when up), and when it settled. */
interface ApiVerdict {
  settledAt: number | undefined;
  reason: Promise<string | undefined>;
}

/**
 * Health checks for `@nestjs/terminus`: the event store FlowModule uses answers (Redis `PING`,
 * PostgreSQL `SELECT 1`, memory always), and, when asked, Cognito's API accepts a signed request.
 * Provide it beside a module that imports FlowModule and TerminusModule. A down answer carries a
 * short reason from a fixed list, never a remote message nor a secret.
 */
@Injectable()
export class FlowHealthIndicator {
  private api: ApiVerdict | undefined;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(FLOW_EVENT_STORE) private readonly store: FlowEventStore,
    @Inject(FLOW_OPTIONS) private readonly options: FlowApiClientSettings,
  ) {}

  /**
   * Up when the event store answers within `timeoutMs`. A store without `ping` (one of the
   * host's own) is reported up with `ping: 'unsupported'`.
   * @throws TypeError for an unusable `timeoutMs`.
   */
  async checkStore<const Key extends string = 'flow_event_store'>(
    key: Key = 'flow_event_store' as Key,
    options: FlowStoreCheckOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const timeoutMs = checkMs(options.timeoutMs, 'timeoutMs', STORE_CHECK_TIMEOUT_MS, 1);
    const check = this.health.check(key);
    if (typeof this.store.ping !== 'function') return check.up({ ping: 'unsupported' });
    try {
      await withTimeout(
        this.store.ping(),
        timeoutMs,
        () => new FlowEventStoreUnavailableError('timeout', `No answer within ${timeoutMs} ms.`),
      );
      return check.up();
    } catch (error) {
      return check.down({ reason: storeDownReason(error) });
    }
  }

  /**
   * Up when Cognito's API accepts a signed request (the `doctor --online` probe: a 404 for an
   * unknown session), within `timeoutMs`, one attempt. Opt-in: it costs one request to Cognito
   * per `cacheMs`.
   * @throws TypeError for an unusable `timeoutMs` or `cacheMs`.
   */
  async checkApi<const Key extends string = 'flow_api'>(
    key: Key = 'flow_api' as Key,
    options: FlowApiCheckOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const timeoutMs = checkMs(options.timeoutMs, 'timeoutMs', API_CHECK_TIMEOUT_MS, 1);
    const cacheMs = checkMs(options.cacheMs, 'cacheMs', API_CHECK_CACHE_MS, 0);
    const reason = await this.apiVerdict(timeoutMs, cacheMs);
    const check = this.health.check(key);
    return reason === undefined ? check.up() : check.down({ reason });
  }

  /** The last verdict while it is in flight or younger than `cacheMs`, else a fresh probe. */
  private apiVerdict(timeoutMs: number, cacheMs: number): Promise<string | undefined> {
    const last = this.api;
    if (
      last !== undefined &&
      (last.settledAt === undefined || Date.now() - last.settledAt < cacheMs)
    )
      return last.reason;
    const verdict: ApiVerdict = { settledAt: undefined, reason: this.probe(timeoutMs) };
    void verdict.reason.then(() => (verdict.settledAt = Date.now()));
    this.api = verdict;
    return verdict.reason;
  }

  private async probe(timeoutMs: number): Promise<string | undefined> {
    // A client of its own: one attempt and a short timeout, whatever the module's client retries.
    const client = createModuleFlowApiClient({
      apiKey: this.options.apiKey,
      apiSecret: this.options.apiSecret,
      apiBaseUrl: this.options.apiBaseUrl,
      api: { ...this.options.api, timeoutMs, maxRetries: 0 },
    });
    try {
      return apiDownReason(await probeFlowApi(client));
    } catch {
      return 'unreachable';
    }
  }
}
