import 'reflect-metadata';
import {
  All,
  Controller,
  Get,
  Post,
  RequestMethod,
  Version,
  VERSION_NEUTRAL,
  VersioningType,
  type INestApplication,
} from '@nestjs/common';
import {
  ApplicationConfig,
  DiscoveryModule,
  DiscoveryService,
  MetadataScanner,
} from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { pathReaches, servedPaths } from '../../lib/routing/route-paths.js';
import { scanRoutes } from '../../lib/routing/route-scan.js';
import { EVENT_PLATFORMS } from '../support/flow-events-app.js';

@Controller(['shop', 'store'])
class ShopController {
  @Get(['items', 'goods/:id'])
  items(): string {
    return 'ShopController.items';
  }

  @Post('orders')
  @Version(['3', VERSION_NEUTRAL])
  orders(): string {
    return 'ShopController.orders';
  }
}

@Controller({ path: 'admin', version: '2' })
class AdminController {
  @All('tools')
  tools(): string {
    return 'AdminController.tools';
  }
}

@Controller()
class RootController {
  @Post('health')
  health(): string {
    return 'RootController.health';
  }
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.ALL]: 'PUT',
};

/** Each setup, and how many paths the three controllers are served at under it. */
const SETUPS: Array<[string, (app: INestApplication) => void, number]> = [
  // items: 2 controller paths × 2 method paths; orders: 2 (@Version is ignored); tools; health.
  ['no prefix, no versioning', () => undefined, 8],
  [
    'a prefix with an exclusion and URI versioning',
    (app) => {
      app.setGlobalPrefix('api/', { exclude: [{ path: 'health', method: RequestMethod.POST }] });
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    },
    // orders: 2 controller paths × 2 versions.
    10,
  ],
  [
    'URI versioning without a prefix letter',
    (app) => app.enableVersioning({ type: VersioningType.URI, prefix: false }),
    10,
  ],
];

describe.each(EVENT_PLATFORMS)('servedPaths against the running router on %s', (_name, adapter) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each(SETUPS)(
    'with %s, every computed path reaches its own handler',
    async (_label, setup, count) => {
      const moduleRef = await Test.createTestingModule({
        imports: [DiscoveryModule],
        controllers: [ShopController, AdminController, RootController],
      }).compile();
      app = moduleRef.createNestApplication(adapter(), { logger: false });
      setup(app);
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const config = app.get(ApplicationConfig);
      const routes = scanRoutes(app.get(DiscoveryService), app.get(MetadataScanner));
      let checked = 0;
      for (const route of routes) {
        const paths = servedPaths(route, config);
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) {
          const concrete = path.replace(/:\w+/g, 'x7');
          const res = await fetch(`${url}${concrete}`, { method: METHODS[route.requestMethod] });
          expect(`${path} ${res.status} ${await res.text()}`).toBe(
            `${path} ${route.requestMethod === RequestMethod.POST ? 201 : 200} ${route.controller.name}.${route.method}`,
          );
          checked += 1;
        }
      }
      expect(checked).toBe(count);
    },
  );
});

describe('pathReaches', () => {
  it.each<[string, string, boolean]>([
    ['/hooks/flow', '/hooks/flow', true],
    ['/hooks/flow', '/HOOKS/Flow/', true],
    ['/hooks/flow', '/hooks/flow/x', false],
    ['/hooks/:id', '/hooks/abc', true],
    ['/hooks/:id', '/hooks', false],
    ['/files/*rest', '/files/a/b', true],
    ['/files/*rest', '/files', false],
    ['/', '/', true],
    ['/', '/a', false],
  ])('%s reaches %s: %s', (pattern, path, expected) => {
    expect(pathReaches(pattern, path)).toBe(expected);
  });
});
