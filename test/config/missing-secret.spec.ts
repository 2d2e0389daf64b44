import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { FlowModule } from '../../lib/index.js';
import { withEnv } from '../support/with-env.js';

const NO_SECRET = { FLOW_API_SECRET: undefined };

async function startUpError(imports: DynamicModule[]): Promise<{ code: unknown; message: string }> {
  try {
    await Test.createTestingModule({ imports }).compile();
  } catch (error) {
    return error as { code: unknown; message: string };
  }
  throw new Error('the module started without a secret');
}

describe('a missing API secret at start-up', () => {
  it('with forRoot(): names forRoot and says .env is read only by ConfigModule.forRoot()', async () => {
    const error = await withEnv(NO_SECRET, () => startUpError([FlowModule.forRoot()]));
    expect(error.code).toBe('missing_secret');
    expect(error.message).toMatch(/FLOW_API_SECRET is missing or empty\./);
    expect(error.message).toContain('FlowModule.forRoot({ apiSecret })');
    expect(error.message).toContain('.env');
    expect(error.message).toContain('ConfigModule.forRoot()');
    expect(error.message).not.toContain('forRootAsync');
  });

  it('with forRootAsync(): names the factory, not forRoot', async () => {
    const error = await withEnv(NO_SECRET, () =>
      startUpError([
        FlowModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            apiSecret: config.get<string>('FLOW_API_SECRET'),
          }),
        }),
      ]),
    );
    expect(error.code).toBe('missing_secret');
    expect(error.message).toContain('FlowModule.forRootAsync() factory');
    expect(error.message).toContain('ConfigModule.forRoot()');
    expect(error.message).not.toContain('FlowModule.forRoot(');
  });
});
