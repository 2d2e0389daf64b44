import 'reflect-metadata';
import {
  Controller,
  HttpCode,
  Injectable,
  Module,
  Post,
  type CanActivate,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { FlowModule, FlowWebhookRoute, type FlowWebhookOptions } from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { generateSecret } from '../support/test-secrets.js';
import { HOST_PLATFORMS } from '../host-app/host-app.js';

/** The host's global auth guard; what it answers does not matter at start-up. */
@Injectable()
class SessionGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** The host's own webhook route. */
@Controller('hooks')
class HostWebhookController {
  @Post('flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  receive(): void {}
}

const WARNING = 'webhook.decorators is not set';

describe.each(HOST_PLATFORMS)(
  'start-up warning about global guards on webhook routes (%s)',
  (_platform, adapter) => {
    /** Starts an app and returns its start-up warnings about webhook.decorators. */
    async function warnings(webhook: FlowWebhookOptions, providers: Provider[], ownRoute: boolean) {
      @Module({
        imports: [FlowModule.forRoot({ apiSecret: generateSecret(), envFallback: false, webhook })],
        controllers: ownRoute ? [HostWebhookController] : [],
        providers,
      })
      class AppModule {}
      const logger = new CaptureLogger();
      const app = await NestFactory.create(AppModule, adapter(), { rawBody: true, logger });
      try {
        await app.init();
      } finally {
        await app.close();
      }
      return logger.find('warn', WARNING);
    }

    const globalGuard = [{ provide: APP_GUARD, useClass: SessionGuard }];

    it('names your own @FlowWebhookRoute() routes, and the fix for them', async () => {
      const [warning, ...more] = await warnings({}, globalGuard, true);
      expect(more).toEqual([]);
      expect(warning.message).toContain('APP_GUARD: SessionGuard');
      expect(warning.message).toContain('HostWebhookController.receive');
      expect(warning.message).toContain(
        'the same decorator on your own @FlowWebhookRoute() routes',
      );
      expect(warning.message).not.toContain('built-in receiver');
    });

    it('names the built-in receiver and your routes together', async () => {
      const [warning] = await warnings({ path: 'webhook_receivers/flow' }, globalGuard, true);
      expect(warning.message).toContain(
        'the built-in receiver (webhook_receivers/flow), HostWebhookController.receive',
      );
      expect(warning.message).toContain(
        'webhook: { decorators: [Public()] }, and the same decorator',
      );
    });

    it('says nothing when decorators are given, when there is no global guard, or no webhook route', async () => {
      expect(
        await warnings({ path: 'webhook_receivers/flow', decorators: [] }, globalGuard, true),
      ).toEqual([]);
      expect(await warnings({ path: 'webhook_receivers/flow' }, [], true)).toEqual([]);
      expect(await warnings({}, globalGuard, false)).toEqual([]);
    });
  },
);
