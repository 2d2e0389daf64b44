import 'reflect-metadata';
import { Inject, Injectable, Module, Scope, type Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OnFlowEvent,
  type FlowSessionStatusUpdatedEvent,
  type FlowSessionStepUpdatedEvent,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import {
  EVENT_PLATFORMS,
  deliver,
  flowEvent,
  startFlowApp,
  type RunningFlowApp,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';

const SEEN = Symbol('SEEN');
type Seen = Array<{ handler: string; id: string; event: string }>;

@Injectable()
class VerificationRecorder {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  @OnFlowEvent('flow_session.status.updated')
  recordStatus(event: FlowSessionStatusUpdatedEvent): void {
    this.seen.push({
      handler: 'VerificationRecorder.recordStatus',
      id: event.id,
      event: event.event,
    });
  }
}

@Injectable()
class StepTracker {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  // Stacked: one method for two names.
  @OnFlowEvent('flow_session.step.updated')
  @OnFlowEvent('flow_session.status.updated')
  track(event: FlowSessionStepUpdatedEvent | FlowSessionStatusUpdatedEvent): void {
    this.seen.push({ handler: 'StepTracker.track', id: event.id, event: event.event });
  }

  /** Not decorated: must never be called. */
  helper(event: FlowWebhookEvent): void {
    this.seen.push({ handler: 'StepTracker.helper', id: event.id, event: event.event });
  }
}

@Injectable()
class AuditTrail {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  @OnFlowEvent('*')
  audit(event: FlowWebhookEvent): void {
    this.seen.push({ handler: 'AuditTrail.audit', id: event.id, event: event.event });
  }
}

@Injectable()
class SessionLog {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  // A name and the wildcard on one method: it still runs once per event.
  @OnFlowEvent('flow_session.status.updated')
  @OnFlowEvent('*')
  record(event: FlowWebhookEvent): void {
    this.seen.push({ handler: 'SessionLog.record', id: event.id, event: event.event });
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedHandler {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  @OnFlowEvent('flow_session.status.updated')
  record(event: FlowWebhookEvent): void {
    this.seen.push({ handler: 'RequestScopedHandler.record', id: event.id, event: event.event });
  }
}

function modules(seen: Seen): Type[] {
  @Module({ providers: [VerificationRecorder, StepTracker, { provide: SEEN, useValue: seen }] })
  class UsersModule {}
  @Module({
    providers: [AuditTrail, SessionLog, RequestScopedHandler, { provide: SEEN, useValue: seen }],
  })
  class AuditModule {}
  return [UsersModule, AuditModule];
}

describe.each(EVENT_PLATFORMS)('@OnFlowEvent discovery (%s)', (platform) => {
  const secret = generateSecret();
  const seen: Seen = [];
  const logger = new CaptureLogger();
  let running: RunningFlowApp;

  beforeAll(async () => {
    running = await startFlowApp({ platform, secret, hostModules: modules(seen), logger });
  });
  afterAll(() => running.app.close());

  const handlersOf = (id: string): string[] =>
    seen
      .filter((entry) => entry.id === id)
      .map((entry) => entry.handler)
      .sort();

  it('runs every handler of an event across providers and modules, plus the wildcard, each once', async () => {
    const event = flowEvent(newEventId(), 'flow_session.status.updated');
    expect((await deliver(running.baseUrl, secret, event)).status).toBe(200);
    expect(handlersOf(event.id)).toEqual([
      'AuditTrail.audit',
      'RequestScopedHandler.record',
      'SessionLog.record',
      'StepTracker.track',
      'VerificationRecorder.recordStatus',
    ]);
  });

  it('routes each name to its own handlers (stacked decorators included)', async () => {
    const event = flowEvent(newEventId(), 'flow_session.step.updated');
    expect((await deliver(running.baseUrl, secret, event)).status).toBe(200);
    expect(handlersOf(event.id)).toEqual([
      'AuditTrail.audit',
      'SessionLog.record',
      'StepTracker.track',
    ]);
  });

  it("hands an event name Cognito adds later to the '*' handler as data", async () => {
    const event = flowEvent(newEventId(), 'flow_session.archived');
    expect((await deliver(running.baseUrl, secret, event)).status).toBe(200);
    expect(handlersOf(event.id)).toEqual(['AuditTrail.audit', 'SessionLog.record']);
    expect(
      seen
        .filter((entry) => entry.id === event.id)
        .every((entry) => entry.event === 'flow_session.archived'),
    ).toBe(true);
  });

  it('resolves request-scoped providers per delivery instead of skipping them', () => {
    expect(seen.some((entry) => entry.handler === 'RequestScopedHandler.record')).toBe(true);
    expect(logger.find('warn', 'RequestScopedHandler')).toEqual([]);
    expect(logger.find('debug', 'RequestScopedHandler is request-scoped')).toHaveLength(1);
  });
});

describe.each(EVENT_PLATFORMS)('an event without handlers (%s)', (platform) => {
  it('is acknowledged with 2xx and logged at debug', async () => {
    const secret = generateSecret();
    const seen: Seen = [];
    @Module({ providers: [VerificationRecorder, { provide: SEEN, useValue: seen }] })
    class OnlyStatusModule {}
    const logger = new CaptureLogger();
    const running = await startFlowApp({
      platform,
      secret,
      hostModules: [OnlyStatusModule],
      logger,
    });
    try {
      const event = flowEvent(newEventId(), 'flow_session.retried');
      const answer = await deliver(running.baseUrl, secret, event);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ outcome: 'no_handler' });
      expect(seen).toEqual([]);
      const lines = logger.find('debug', event.id);
      expect(lines).toHaveLength(1);
      expect(lines[0].message).toContain('flow_session.retried');
    } finally {
      await running.app.close();
    }
  });
});
