import 'reflect-metadata';
import {
  Controller,
  Get,
  HttpCode,
  Post,
  RequestMethod,
  VersioningType,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  FlowConfigurationError,
  FlowWebhookRoute,
  type FlowModuleOptions,
} from '../../lib/index.js';
import { WEBHOOK_PLATFORMS } from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { useWebhookHost } from './webhook-host.js';

const secret = generateSecret();
const RECEIVER = 'webhook_receivers/flow';

/** The reported case: a host route claims the built-in receiver's real path as its public path. */
@Controller('hooks')
class ClaimsReceiverPath {
  @Post('other')
  @HttpCode(200)
  @FlowWebhookRoute({ publicPath: `/${RECEIVER}` })
  other(): string {
    return 'host route ran';
  }
}

/** The same claim with the global prefix the app serves the receiver under. */
@Controller('hooks')
class ClaimsPrefixedReceiverPath {
  @Post('other')
  @FlowWebhookRoute({ publicPath: `/api/${RECEIVER}` })
  other(): string {
    return 'ran';
  }
}

/** A host POST route with a parameter, and a guarded route whose public path it matches. */
@Controller()
class ParameterCollision {
  @Post('tenants/:tenant/events')
  tenantEvents(): string {
    return 'ran';
  }

  @Post('flow')
  @FlowWebhookRoute({ publicPath: '/tenants/acme/events' })
  flow(): string {
    return 'ran';
  }
}

/** A versioned host route (URI versioning), and a guarded route claiming its /v2 path. */
@Controller({ path: 'orders', version: '2' })
class VersionedOrders {
  @Post()
  create(): string {
    return 'ran';
  }
}

@Controller()
class ClaimsVersionedPath {
  @Post('flow')
  @FlowWebhookRoute({ publicPath: '/v2/orders' })
  flow(): string {
    return 'ran';
  }
}

/** A host route left out of the global prefix, and a guarded route claiming its real path. */
@Controller()
class ExcludedFromPrefix {
  @Post('status')
  status(): string {
    return 'ran';
  }

  @Post('flow')
  @FlowWebhookRoute({ publicPath: '/status' })
  flow(): string {
    return 'ran';
  }
}

/** webhook.publicPath relied on by one guarded route, and a host POST route at that path. */
@Controller()
class ModulePathCollision {
  @Post('flow')
  @FlowWebhookRoute()
  flow(): string {
    return 'ran';
  }

  @Post('hooks/flow')
  hostHook(): string {
    return 'ran';
  }
}

/** Public paths no other POST route is served at: its own path, a GET route's, a proxy's. */
@Controller()
class NoCollision {
  @Post('hooks/flow')
  @FlowWebhookRoute({ publicPath: '/hooks/flow' })
  own(): string {
    return 'ran';
  }

  @Post('internal/flow')
  @HttpCode(200)
  @FlowWebhookRoute({ publicPath: '/status' })
  proxied(): string {
    return 'proxied ran';
  }

  @Get('status')
  status(): string {
    return 'ok';
  }
}

describe.each(WEBHOOK_PLATFORMS)('public paths against real paths on %s', (platform) => {
  const host = useWebhookHost(platform);

  /** Starts `controllers` with FlowModule; resolves to the start-up error, or undefined. */
  function start(
    controllers: Type[],
    flow: Partial<FlowModuleOptions> = {},
    setup?: (started: INestApplication) => void,
  ): Promise<unknown> {
    return host.startUpError({ apiSecret: secret, ...flow }, { controllers, setup });
  }

  function expectRefusal(error: unknown, ...parts: string[]): void {
    expect(error).toBeInstanceOf(FlowConfigurationError);
    for (const part of parts) expect((error as Error).message).toContain(part);
  }

  it("refuses a route whose public path is the built-in receiver's real path, naming both", async () => {
    const error = await start([ClaimsReceiverPath], { webhook: { path: RECEIVER } });
    expectRefusal(
      error,
      `The public path /${RECEIVER} of ClaimsReceiverPath.other`,
      `is the real path of FlowWebhookReceiverController.receive (POST /${RECEIVER})`,
      'Give ClaimsReceiverPath.other the path Cognito posts to for it',
    );
  });

  it('counts the global prefix: the prefixed path collides, the bare one is free', async () => {
    const prefixed = await start(
      [ClaimsPrefixedReceiverPath],
      { webhook: { path: RECEIVER } },
      (a) => a.setGlobalPrefix('api'),
    );
    expectRefusal(prefixed, `(POST /api/${RECEIVER})`);
    expect(
      await start([ClaimsReceiverPath], { webhook: { path: RECEIVER } }, (a) =>
        a.setGlobalPrefix('api'),
      ),
    ).toBeUndefined();
  });

  it('a route parameter matches: /tenants/acme/events is served by /tenants/:tenant/events', async () => {
    expectRefusal(
      await start([ParameterCollision]),
      'ParameterCollision.flow',
      '(POST /tenants/:tenant/events)',
    );
  });

  it('counts URI versioning: /v2/orders is a real path under it, free without it', async () => {
    const versioned = await start([VersionedOrders, ClaimsVersionedPath], {}, (a) =>
      a.enableVersioning({ type: VersioningType.URI }),
    );
    expectRefusal(versioned, 'VersionedOrders.create (POST /v2/orders)');
    expect(await start([VersionedOrders, ClaimsVersionedPath])).toBeUndefined();
  });

  it('counts a route the global prefix excludes', async () => {
    const error = await start([ExcludedFromPrefix], {}, (a) =>
      a.setGlobalPrefix('api', { exclude: [{ path: 'status', method: RequestMethod.POST }] }),
    );
    expectRefusal(error, 'ExcludedFromPrefix.flow', 'ExcludedFromPrefix.status (POST /status)');
    expect(await start([ExcludedFromPrefix], {}, (a) => a.setGlobalPrefix('api'))).toBeUndefined();
  });

  it('checks webhook.publicPath too, naming where it was set', async () => {
    const error = await start([ModulePathCollision], { webhook: { publicPath: '/hooks/flow' } });
    expectRefusal(
      error,
      'The public path /hooks/flow of ModulePathCollision.flow (webhook.publicPath)',
      'ModulePathCollision.hostHook (POST /hooks/flow)',
    );
  });

  it("starts with a route's own path, a GET route's path, or a path only a proxy serves", async () => {
    expect(await start([NoCollision])).toBeUndefined();
    // The proxied route still verifies against its public path.
    const body = flowEventBody({ id: 'whkevt_collisionfree01' });
    const headers = testHeaders({ secret, body, url: '/internal/flow', signedTarget: '/status' });
    const url = host.current().baseUrl;
    const res = await fetch(`${url}/internal/flow`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('proxied ran');
  });
});
