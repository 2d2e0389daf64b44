import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PLATFORMS } from './signature-test-app.js';

/** private-response.ts loaded afresh, with require() of `@nestjs/cache-manager` failing with `code`. */
async function loadWithRequireFailing(code: string) {
  vi.resetModules();
  vi.doMock('node:module', async (importOriginal) => {
    const actual = await importOriginal<typeof import('node:module')>();
    const failing = () => {
      throw Object.assign(new Error('cannot load @nestjs/cache-manager'), { code });
    };
    return { ...actual, createRequire: () => failing };
  });
  return import('../../lib/signature-endpoint/private-response.js');
}

describe('the signature route where @nestjs/cache-manager cannot be required', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    vi.doUnmock('node:module');
    await app?.close();
    app = undefined;
  });

  describe.each(['MODULE_NOT_FOUND', 'ERR_REQUIRE_ESM'])('require fails with %s', (code) => {
    it.each(PLATFORMS)('on %s, still answers with Cache-Control: no-store', async (_, adapter) => {
      const { PrivateFlowResponse } = await loadWithRequireFailing(code);

      @Controller()
      class PrivateController {
        @Get('private')
        @PrivateFlowResponse()
        answer(): { ok: boolean } {
          return { ok: true };
        }
      }

      @Module({ controllers: [PrivateController] })
      class PrivateModule {}

      app = await NestFactory.create(PrivateModule, adapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      const response = await fetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/private`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    });
  });

  it('stops on any other failure to load it, rather than hide it', async () => {
    const { PrivateFlowResponse } = await loadWithRequireFailing('EACCES');
    expect(() => PrivateFlowResponse()).toThrow('cannot load @nestjs/cache-manager');
  });
});
