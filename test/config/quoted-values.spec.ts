import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FlowConfigurationError, FlowModule } from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { EVENT_PLATFORMS } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { withEnv } from '../support/with-env.js';

const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';

/** Starts an app on the platform with `flow` and returns its start-up error and every log line. */
async function startUp(
  adapter: (typeof EVENT_PLATFORMS)[number][1],
  flow: DynamicModule,
): Promise<{ error: unknown; logs: string }> {
  @Module({ imports: [flow] })
  class AppModule {}
  const logger = new CaptureLogger();
  const error = await NestFactory.create(AppModule, adapter(), {
    abortOnError: false,
    logger,
  }).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
  return { error, logs: logger.lines.map((line) => line.message).join('\n') };
}

function expectRefusal(
  outcome: { error: unknown; logs: string },
  label: string,
  quote: string,
  secret: string,
): void {
  const { error, logs } = outcome;
  expect(error).toBeInstanceOf(FlowConfigurationError);
  const refusal = error as FlowConfigurationError;
  expect(refusal.code).toBe('quoted_value');
  expect(refusal.message).toContain(`${label} is wrapped in literal quotes (${quote}…${quote})`);
  expect(refusal.message).toContain('remove them');
  // Not the secret, nor a long piece of it: in the message, its inspect() output or any log line.
  for (const text of [refusal.message, inspect(refusal), String(refusal.stack), logs]) {
    expect(text).not.toContain(secret.slice(-24));
  }
}

describe.each(EVENT_PLATFORMS)('a quoted value stops the app at start-up (%s)', (_, adapter) => {
  for (const quote of ['"', "'"]) {
    it(`refuses FLOW_API_SECRET wrapped in ${quote} quotes, as Docker's --env-file passes it`, async () => {
      const secret = generateSecret();
      const outcome = await withEnv(
        { FLOW_API_SECRET: `${quote}${secret}${quote}`, FLOW_API_KEY: undefined },
        () => startUp(adapter, FlowModule.forRoot()),
      );
      expectRefusal(outcome, 'FLOW_API_SECRET', quote, secret);
    });
  }

  it('refuses a quoted apiSecret option, previous secret and API key', async () => {
    const secret = generateSecret();
    expectRefusal(
      await startUp(adapter, FlowModule.forRoot({ apiSecret: `"${secret}"` })),
      'apiSecret',
      '"',
      secret,
    );
    const previous = generateSecret();
    expectRefusal(
      await startUp(
        adapter,
        FlowModule.forRoot({ apiSecret: secret, previousApiSecrets: [`'${previous}'`] }),
      ),
      'previousApiSecrets[0]',
      "'",
      previous,
    );
    expectRefusal(
      await startUp(adapter, FlowModule.forRoot({ apiSecret: secret, apiKey: `"${apiKey}"` })),
      'apiKey',
      '"',
      secret,
    );
  });

  it('starts with the same secret unquoted', async () => {
    const secret = generateSecret();
    const { error } = await startUp(adapter, FlowModule.forRoot({ apiSecret: secret }));
    expect(error).toBe(undefined);
  });
});
