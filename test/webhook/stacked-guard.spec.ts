import 'reflect-metadata';
import { Controller, HttpCode, Injectable, Post, UseGuards, type Type } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  FlowConfigurationError,
  FlowWebhookGuard,
  FlowWebhookRoute,
  VerifiedFlowEvent,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import { WEBHOOK_PLATFORMS } from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { useWebhookHost } from './webhook-host.js';

const secret = generateSecret();
let sequence = 0;

/** The reported mistake: the guard stacked on the decorator that already applies it. */
@Controller()
class StackedOnMethod {
  @Post('hooks/flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  @UseGuards(FlowWebhookGuard)
  receive(@VerifiedFlowEvent() event: FlowWebhookEvent): string {
    return event.id;
  }
}

/** The guard on the controller, the decorator on the method. */
@Controller()
@UseGuards(FlowWebhookGuard)
class StackedOnClass {
  @Post('hooks/flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  receive(): string {
    return 'ran';
  }
}

/** A host's subclass of the guard, stacked on the decorator. */
@Injectable()
class TenantWebhookGuard extends FlowWebhookGuard {}

@Controller()
class StackedSubclass {
  @Post('hooks/flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  @UseGuards(TenantWebhookGuard)
  receive(): string {
    return 'ran';
  }
}

/** The decorator on both the controller and the method. */
@Controller()
@FlowWebhookRoute()
class DecoratorTwice {
  @Post('hooks/flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  receive(): string {
    return 'ran';
  }
}

/** The right way: the decorator alone. */
@Controller()
class DecoratorAlone {
  @Post('hooks/flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  receive(@VerifiedFlowEvent() event: FlowWebhookEvent): string {
    return event.id;
  }
}

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))(
  'FlowWebhookGuard stacked on one route, on %s',
  (platform) => {
    const host = useWebhookHost(platform);

    /** Starts the app; resolves to the start-up error, or to undefined when it started. */
    const start = (controllers: Type[]) =>
      host.startUpError({ apiSecret: secret }, { controllers });

    it.each<[string, Type, number]>([
      ['@UseGuards(FlowWebhookGuard) on a @FlowWebhookRoute() method', StackedOnMethod, 2],
      ['@UseGuards(FlowWebhookGuard) on the controller', StackedOnClass, 2],
      ['a subclass of the guard beside @FlowWebhookRoute()', StackedSubclass, 2],
      ['@FlowWebhookRoute() on the controller and the method', DecoratorTwice, 2],
    ])('%s is a start-up error naming the route and the fix', async (_label, controller, times) => {
      const error = await start([controller]);
      expect(error).toBeInstanceOf(FlowConfigurationError);
      const message = (error as Error).message;
      expect(message).toContain(`${controller.name}.receive runs FlowWebhookGuard ${times} times`);
      expect(message).toContain('answer 409 to every delivery');
      expect(message).toContain('Keep @FlowWebhookRoute() alone');
    });

    it('@FlowWebhookRoute() alone starts and accepts a delivery once', async () => {
      expect(await start([DecoratorAlone])).toBeUndefined();
      const body = flowEventBody({ id: `whkevt_stacked_${(sequence += 1)}` });
      const headers = testHeaders({ secret, body, url: '/hooks/flow' });
      const send = () =>
        fetch(`${host.current().baseUrl}/hooks/flow`, { method: 'POST', headers, body }).then(
          (res) => res.status,
        );
      expect(await send()).toBe(200);
      // The same signed bytes again: the one guard refuses the replay.
      expect(await send()).toBe(409);
    });
  },
);
