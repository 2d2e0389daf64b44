import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { FlowApiClient, FlowModule, type FlowModuleOptions } from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { generateSecret } from '../support/test-secrets.js';
import { withEnv } from '../support/with-env.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';

// Base URLs carrying a user name and password, in the shapes a proxy's URL takes; each is also
// wrong in another way, so every refusal path is tried.
const SHAPES = [
  'https://svc:hunter2@proxy.internal/',
  'https://svc:hunter2@proxy.internal/flow?token=1',
  'https://svc%3Acorp:hunter%32@proxy.internal/',
  'https://hunter2@proxy.internal',
  'ftp://svc:hunter2@proxy.internal/',
  'https://svc:hunter2@proxy internal/',
  'svc:hunter2@proxy.internal',
];
// The password as given, decoded, and the user name: none may be printed.
const LEAKS = ['hunter2', 'hunter%32', 'svc:', 'svc%3A'];

/** Everything a host could see of a start-up failure: the error however printed, and the logs. */
function printed(error: unknown, logger?: CaptureLogger): string {
  const lines = logger?.lines.map((line) => line.message) ?? [];
  return [
    String(error),
    (error as Error).stack,
    inspect(error),
    JSON.stringify(error),
    ...lines,
  ].join('\n');
}

function expectNoCredentials(text: string): void {
  for (const leak of LEAKS) expect(text).not.toContain(leak);
}

async function startUpFailure(module: ReturnType<typeof FlowModule.forRoot>) {
  @Module({ imports: [module] })
  class AppModule {}
  const logger = new CaptureLogger();
  const error = await NestFactory.createApplicationContext(AppModule, {
    logger,
    abortOnError: false,
  }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(Error);
  return printed(error, logger);
}

const values = (apiBaseUrl?: string): FlowModuleOptions => ({
  apiSecret: secret,
  apiKey,
  apiBaseUrl,
});

describe.each(SHAPES)('a base URL with credentials is refused without printing them: %s', (url) => {
  it('given as the apiBaseUrl option', async () => {
    const text = await startUpFailure(FlowModule.forRoot(values(url)));
    expect(text).toContain('apiBaseUrl (FLOW_API_BASE_URL)');
    expectNoCredentials(text);
  });

  it('read from FLOW_API_BASE_URL', async () => {
    await withEnv({ FLOW_API_BASE_URL: url }, async () => {
      const text = await startUpFailure(FlowModule.forRoot(values()));
      expect(text).toContain('FLOW_API_BASE_URL');
      expectNoCredentials(text);
    });
  });

  it("returned by forRootAsync's factory", async () => {
    const text = await startUpFailure(FlowModule.forRootAsync({ useFactory: () => values(url) }));
    expect(text).toContain('apiBaseUrl');
    expectNoCredentials(text);
  });

  it('given to new FlowApiClient()', () => {
    let error: unknown;
    try {
      new FlowApiClient({ apiKey, apiSecret: secret, baseUrl: url });
    } catch (failure) {
      error = failure;
    }
    expect(error).toBeInstanceOf(TypeError);
    expectNoCredentials(printed(error));
  });

  it('read by the CLI', async () => {
    const lines: string[] = [];
    const code = await runCli(['session', 'get', 'flwses_0123456789'], {
      env: { FLOW_API_SECRET: secret, FLOW_API_KEY: apiKey, FLOW_API_BASE_URL: url },
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
    expect(code).not.toBe(0);
    expect(lines.join('\n')).toContain('base URL');
    expectNoCredentials(lines.join('\n'));
  });
});
