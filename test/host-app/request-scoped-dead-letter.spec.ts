import 'reflect-metadata';
import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { OnFlowEvent, type FlowWebhookEvent } from '../../lib/index.js';
import {
  EVENT_PLATFORMS,
  deliver,
  flowEvent,
  startFlowApp,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';

const CALLS = Symbol('CALLS');

/** A request-scoped handler that always fails: its deliveries must count toward maxAttempts. */
@Injectable({ scope: Scope.REQUEST })
class FailingScopedHandler {
  constructor(
    @Inject(REQUEST) private readonly request: object,
    @Inject(CALLS) private readonly calls: string[],
  ) {}

  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowWebhookEvent): void {
    this.calls.push(event.id);
    throw new Error(`cannot process ${typeof this.request}`);
  }
}

describe.each(EVENT_PLATFORMS)('request-scoped handlers and dead-lettering (%s)', (platform) => {
  it('count failures toward maxAttempts and dead-letter like singleton handlers', async () => {
    const calls: string[] = [];
    const dead: string[] = [];
    @Module({ providers: [FailingScopedHandler, { provide: CALLS, useValue: calls }] })
    class ScopedModule {}
    const secret = generateSecret();
    const running = await startFlowApp({
      platform,
      secret,
      webhook: {
        maxAttempts: 2,
        onDeadLetter: (event) => {
          dead.push(event.id);
        },
      },
      hostModules: [ScopedModule],
    });
    try {
      const event = flowEvent(newEventId());
      const first = await deliver(running.baseUrl, secret, event);
      expect(first.status).toBe(500);
      expect(dead).toEqual([]);
      const second = await deliver(running.baseUrl, secret, event);
      expect(second.status).toBe(200);
      expect(JSON.parse(second.body)).toEqual({ outcome: 'dead_lettered' });
      expect(dead).toEqual([event.id]);
      // Acknowledged: a third try runs nothing.
      const third = await deliver(running.baseUrl, secret, event);
      expect(JSON.parse(third.body)).toEqual({ outcome: 'duplicate' });
      expect(calls).toEqual([event.id, event.id]);
    } finally {
      await running.app.close();
    }
  });
});
