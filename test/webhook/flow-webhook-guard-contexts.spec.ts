import 'reflect-metadata';
import {
  Controller,
  HttpCode,
  HttpException,
  Logger,
  Post,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo, Server } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_OPTIONS } from '../../lib/flow.constants.js';
import {
  VerifiedFlowEvent,
  FlowModule,
  FlowWebhookGuard,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import { CapturingLogger, WEBHOOK_PLATFORMS } from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();

function contextOfType(type: string): ExecutionContext {
  return {
    getType: () => type,
    switchToHttp: () => {
      throw new Error('not an HTTP context');
    },
  } as unknown as ExecutionContext;
}

describe('FlowWebhookGuard outside HTTP', () => {
  it('refuses gateway and microservice calls, logs once, never throws', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FlowModule.forRoot({ apiSecret: secret })],
    }).compile();
    const logger = new CapturingLogger();
    // Each spec file runs in its own process, so overriding the static logger stays local.
    Logger.overrideLogger(logger);
    try {
      const guard = moduleRef.get(FlowWebhookGuard);
      for (const type of ['ws', 'rpc', 'ws', 'graphql'])
        expect(await guard.canActivate(contextOfType(type))).toBe(false);
      const errors = logger.lines.filter((line) => line.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].text).toContain('HTTP routes only');
      // The guard holds the options and prepared keys: printing it must not reveal the secret.
      expect(inspect(guard, { depth: 10, showHidden: true })).not.toContain(secret);
      expect(JSON.stringify(guard)).not.toContain(secret);
    } finally {
      await moduleRef.close();
    }
  });
});

describe('FlowWebhookGuard when a host hook throws', () => {
  it('answers a generic 500 and logs only the error class', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FlowModule.forRoot({ apiSecret: secret })],
    }).compile();
    const logger = new CapturingLogger();
    Logger.overrideLogger(logger);
    class BrokenGuard extends FlowWebhookGuard {
      protected override getRawBody(): Buffer {
        throw new RangeError(`hook failed near ${secret}`);
      }
    }
    const guard = new BrokenGuard(moduleRef.get(FLOW_OPTIONS));
    const request = {
      method: 'POST',
      url: '/hooks/flow?x=1',
      headers: { 'content-type': 'application/json' },
    };
    const context = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    let thrown: unknown;
    try {
      await guard.canActivate(context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpException);
    expect((thrown as HttpException).getStatus()).toBe(500);
    expect((thrown as HttpException).getResponse()).toEqual({
      statusCode: 500,
      message: 'Internal Server Error',
    });
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].text).toContain('RangeError');
    expect(errors[0].text).toContain('POST /hooks/flow');
    expect(errors[0].text).not.toContain(secret);
    await moduleRef.close();
  });
});

describe('FlowWebhookGuard on an HTTP/2 request (no headersDistinct)', () => {
  // Node's Http2ServerRequest has no headersDistinct and keeps only the first copy of a
  // single-value header (authorization, date, content-type…) in headers; rawHeaders has them all.
  function http2Request(extra: string[]): Record<string, unknown> {
    const body = flowEventBody();
    const headers: Record<string, string> = {
      ':method': 'POST',
      ':path': '/hooks/flow',
      ...testHeaders({ secret, body, url: '/hooks/flow' }),
    };
    return {
      method: 'POST',
      url: '/hooks/flow',
      headers,
      rawHeaders: [...Object.entries(headers).flat(), ...extra],
      rawBody: Buffer.from(body),
    };
  }
  const http = (request: unknown) =>
    ({
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => request }),
    }) as unknown as ExecutionContext;
  const statusOf = async (guard: FlowWebhookGuard, request: unknown): Promise<number> => {
    try {
      return (await guard.canActivate(http(request))) ? 200 : 403;
    } catch (error) {
      return (error as HttpException).getStatus();
    }
  };

  it.each([
    ['Authorization', ['authorization', 'Bearer x']],
    ['Date', ['date', new Date().toUTCString()]],
    ['Content-Type', ['content-type', 'text/plain']],
  ])(
    'refuses a second %s seen only in rawHeaders, and accepts the same request without it',
    async (_name, extra) => {
      const moduleRef = await Test.createTestingModule({
        imports: [FlowModule.forRoot({ apiSecret: secret })],
      }).compile();
      Logger.overrideLogger(new CapturingLogger());
      try {
        const guard = moduleRef.get(FlowWebhookGuard);
        expect(await statusOf(guard, http2Request([]))).toBe(200);
        expect(await statusOf(guard, http2Request(extra))).not.toBe(200);
      } finally {
        await moduleRef.close();
      }
    },
  );
});

@Controller()
class UnguardedController {
  @Post('unguarded')
  @HttpCode(200)
  receive(@VerifiedFlowEvent() event: FlowWebhookEvent): string {
    return event.id;
  }
}

describe.each(WEBHOOK_PLATFORMS)(
  '@VerifiedFlowEvent() without the guard on %s',
  (_name, adapter) => {
    let app: INestApplication;
    let base: string;
    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [FlowModule.forRoot({ apiSecret: secret })],
        controllers: [UnguardedController],
      }).compile();
      app = moduleRef.createNestApplication(adapter(), {
        rawBody: true,
        logger: new CapturingLogger(),
      });
      await app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await app.close();
    });

    it('never hands the handler an unverified body, even a correctly signed one', async () => {
      const body = flowEventBody();
      const { 'content-length': _length, ...headers } = testHeaders({
        secret,
        body,
        url: '/unguarded',
      });
      const response = await fetch(`${base}/unguarded`, { method: 'POST', headers, body });
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('whkevt_');
    });
  },
);
