import 'reflect-metadata';
import { Controller, HttpCode, Post, UseGuards, type Type } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  FlowConfigurationError,
  VerifiedFlowEvent,
  FlowWebhookGuard,
  FlowWebhookRoute,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import { WEBHOOK_PLATFORMS } from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { useWebhookHost } from './webhook-host.js';

const secret = generateSecret();
let sequence = 0;

/** Two receivers behind a proxy that maps /hooks/a to /a and /hooks/b to /b, each bound to its own public path. */
@Controller()
class TwoBoundReceivers {
  @Post('a')
  @HttpCode(200)
  @FlowWebhookRoute({ publicPath: '/hooks/a' })
  a(@VerifiedFlowEvent() event: FlowWebhookEvent): string {
    return `a:${event.id}`;
  }

  @Post('b')
  @HttpCode(200)
  @FlowWebhookRoute({ publicPath: '/hooks/b' })
  b(@VerifiedFlowEvent() event: FlowWebhookEvent): string {
    return `b:${event.id}`;
  }
}

/** Two guarded routes with no public path of their own. */
@Controller()
class TwoPlainReceivers {
  @Post('a')
  @HttpCode(200)
  @UseGuards(FlowWebhookGuard)
  a(): string {
    return 'a';
  }

  @Post('b')
  @HttpCode(200)
  @FlowWebhookRoute()
  b(): string {
    return 'b';
  }
}

/** Two routes that claim the same public path. */
@Controller()
class SamePathTwice {
  @Post('a')
  @FlowWebhookRoute({ publicPath: '/hooks/flow' })
  a(): string {
    return 'a';
  }

  @Post('b')
  @FlowWebhookRoute({ publicPath: '/hooks/flow' })
  b(): string {
    return 'b';
  }
}

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))('public paths on %s', (platform) => {
  const host = useWebhookHost(platform);

  /** Sends a fresh delivery signed for `signedPath` to `path` on the app. */
  async function deliver(path: string, signedPath: string): Promise<number> {
    const body = flowEventBody({ id: `whkevt_bound_${(sequence += 1)}` });
    const headers = testHeaders({ secret, body, url: path, signedTarget: signedPath });
    const url = `${host.current().baseUrl}${path}`;
    return (await fetch(url, { method: 'POST', headers, body })).status;
  }

  async function startUpError(controllers: Type[], publicPath?: string): Promise<unknown> {
    return host.startUpError(
      { apiSecret: secret, webhook: publicPath === undefined ? {} : { publicPath } },
      { controllers },
    );
  }

  it('accepts a delivery only on the route whose public path was signed', async () => {
    await host.start({ apiSecret: secret }, { controllers: [TwoBoundReceivers] });
    expect(await deliver('/a', '/hooks/a')).toBe(200);
    expect(await deliver('/b', '/hooks/b')).toBe(200);
    expect(await deliver('/b', '/hooks/a')).toBe(401);
    expect(await deliver('/a', '/hooks/b')).toBe(401);
    // Nor as received: the route is bound to the path Cognito posts to.
    expect(await deliver('/a', '/a')).toBe(401);
  });

  it('the route path outranks a module-wide webhook.publicPath', async () => {
    await host.start(
      { apiSecret: secret, webhook: { publicPath: '/hooks/a' } },
      { controllers: [TwoBoundReceivers] },
    );
    expect(await deliver('/b', '/hooks/a')).toBe(401);
    expect(await deliver('/b', '/hooks/b')).toBe(200);
  });

  it('refuses to start with webhook.publicPath shared by two guarded routes, naming both', async () => {
    const error = await startUpError([TwoPlainReceivers], '/hooks/flow');
    expect(error).toBeInstanceOf(FlowConfigurationError);
    expect((error as Error).message).toMatch(/TwoPlainReceivers\.a, TwoPlainReceivers\.b/);
    expect((error as Error).message).toMatch(/@FlowWebhookRoute\(\{ publicPath/);
  });

  it('refuses to start with one public path declared on two routes', async () => {
    const error = await startUpError([SamePathTwice]);
    expect(error).toBeInstanceOf(FlowConfigurationError);
    expect((error as Error).message).toMatch(/\/hooks\/flow is declared for more than one route/);
  });

  it('two guarded routes without any public path each verify their own received path', async () => {
    expect(await startUpError([TwoPlainReceivers])).toBeUndefined();
    expect(await deliver('/a', '/a')).toBe(200);
    expect(await deliver('/b', '/a')).toBe(401);
  });
});

describe('@FlowWebhookRoute({ publicPath })', () => {
  it.each(['hooks/flow', '/hooks/flow?x=1', '/hooks flow', ''])('refuses %j at once', (path) => {
    expect(() => FlowWebhookRoute({ publicPath: path })).toThrow(FlowConfigurationError);
  });
});
