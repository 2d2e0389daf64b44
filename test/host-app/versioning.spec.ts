import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import {
  Module,
  VersioningType,
  type INestApplication,
  type VersioningOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { FlowModule } from '../../lib/index.js';
import { fakeAuthGuard, signFlowWebhookFor } from '../../lib/testing/index.js';
import { flowEvent, newEventId } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import {
  HOST_PLATFORMS,
  HOST_PUBLISHABLE_KEY,
  HOST_TEMPLATE_ID,
  withoutLength,
} from './host-app.js';

/**
 * Each versioning type, with `defaultVersion: '1'`, and how a request asks for version 2.
 * The receiver is version-neutral (the default); the signature route is given `version: '2'`.
 */
const TYPES: Array<
  [string, VersioningOptions, (path: string) => [string, Record<string, string>]]
> = [
  ['uri', { type: VersioningType.URI, defaultVersion: '1' }, (path) => [`/v2${path}`, {}]],
  [
    'header',
    { type: VersioningType.HEADER, header: 'X-Api-Version', defaultVersion: '1' },
    (path) => [path, { 'x-api-version': '2' }],
  ],
  [
    'media type',
    { type: VersioningType.MEDIA_TYPE, key: 'v=', defaultVersion: '1' },
    (path) => [path, { accept: 'application/json;v=2' }],
  ],
  [
    'custom',
    {
      type: VersioningType.CUSTOM,
      defaultVersion: '1',
      extractor: (request: unknown) => {
        const headers = (request as { headers: Record<string, string | undefined> }).headers;
        return headers['x-custom-version'] ?? '1';
      },
    },
    (path) => [path, { 'x-custom-version': '2' }],
  ],
];

const SIGNATURE = '/users/current/flow_signature';

describe.each(HOST_PLATFORMS)('module routes under each versioning type (%s)', (platform) => {
  it.each(TYPES)(
    '%s: the receiver stays unversioned; version sets the signature route',
    async (_name, versioning, ask) => {
      @Module({
        imports: [
          FlowModule.forRoot({
            apiSecret: generateSecret(),
            publishableKey: HOST_PUBLISHABLE_KEY,
            templateId: HOST_TEMPLATE_ID,
            envFallback: false,
            signatureEndpoint: { guards: [fakeAuthGuard({ id: 'user-1' })], version: '2' },
            webhook: { path: 'webhook_receivers/flow' },
          }),
        ],
      })
      class VersionedAppModule {}
      const adapter = HOST_PLATFORMS.find(([name]) => name === platform)![1]();
      const app = await NestFactory.create<INestApplication>(VersionedAppModule, adapter, {
        rawBody: true,
        logger: false,
      });
      app.enableVersioning(versioning);
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      try {
        const body = JSON.stringify(flowEvent(newEventId()));
        const headers = withoutLength(signFlowWebhookFor(app, body));
        const delivered = await fetch(`${base}/webhook_receivers/flow`, {
          method: 'POST',
          headers,
          body,
        });
        expect(delivered.status).toBe(200);

        const [path, versionHeaders] = ask(SIGNATURE);
        const versioned = await fetch(`${base}${path}`, { headers: versionHeaders });
        expect(versioned.status).toBe(200);
        // Negative control: without asking for version 2 the default (1) has no signature route.
        expect((await fetch(`${base}${SIGNATURE}`)).status).toBe(404);
      } finally {
        await app.close();
      }
    },
  );
});
