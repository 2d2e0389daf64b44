import { readFileSync } from 'node:fs';
import * as api from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { sdkRegistered } from '../../lib/telemetry/create-flow-telemetry.js';
import { NOOP_FLOW_TELEMETRY } from '../../lib/telemetry/flow-telemetry.js';
import { FLOW_TELEMETRY } from '../../lib/telemetry/telemetry.constants.js';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowConfigurationError, FlowModule, FlowOptions } from '../../lib/index.js';
import { InjectFlowOptions } from '../../lib/index.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliver,
  flowEvent,
  type RunningFlowApp,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry } from './support/in-memory-telemetry.js';
import { startTelemetryApp } from './support/telemetry-app.js';

const secret = generateSecret();

describe.each(EVENT_PLATFORMS.map(([name]) => name))('when nothing may record (%s)', (platform) => {
  let running: RunningFlowApp | undefined;
  let telemetry: InMemoryTelemetry | undefined;
  afterEach(async () => {
    await running?.app.close();
    await telemetry?.close();
    running = telemetry = undefined;
  });

  async function exercise(baseUrl: string, probe: HandlerProbe): Promise<void> {
    const event = flowEvent(newEventId());
    expect((await deliver(baseUrl, secret, event)).status).toBe(200);
    expect((await deliver(baseUrl, secret, event)).status).toBe(200);
    expect((await deliver(baseUrl, generateSecret(), event)).status).toBe(401);
    expect((await fetch(`${baseUrl}/flow/signature`)).status).toBe(200);
    expect(probe.calls.get(event.id)).toBe(1);
  }

  it('works and records nothing without a registered SDK (the API alone is a no-op)', async () => {
    // The SDK exists but is not registered: the module must not reach it.
    telemetry = new InMemoryTelemetry(false);
    const probe = new HandlerProbe();
    running = await startTelemetryApp({ platform, secret, probe });
    await exercise(running.baseUrl, probe);
    expect(await telemetry.points()).toEqual([]);
    expect(telemetry.finishedSpans()).toEqual([]);
  });

  it('records nothing with telemetry: false, even with an SDK registered', async () => {
    telemetry = new InMemoryTelemetry();
    const probe = new HandlerProbe();
    running = await startTelemetryApp({ platform, secret, probe, telemetry: false });
    await exercise(running.baseUrl, probe);
    expect(await telemetry.points()).toEqual([]);
    expect(telemetry.finishedSpans()).toEqual([]);
  });
});

describe('the telemetry option', () => {
  it('is on by default and shown in the resolved options', async () => {
    class Reader {
      constructor(@InjectFlowOptions() readonly options: FlowOptions) {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [FlowModule.forRoot({ apiSecret: secret, envFallback: false })],
      providers: [Reader],
    }).compile();
    expect(moduleRef.get(Reader).options.telemetry).toBe(true);
    const off = await Test.createTestingModule({
      imports: [FlowModule.forRoot({ apiSecret: secret, envFallback: false, telemetry: false })],
      providers: [Reader],
    }).compile();
    expect(off.get(Reader).options.telemetry).toBe(false);
    expect(JSON.stringify(off.get(Reader).options)).toContain('"telemetry":false');
  });

  it('refuses anything but a boolean at start-up, saying what to pass', async () => {
    const compile = Test.createTestingModule({
      imports: [
        FlowModule.forRoot({ apiSecret: secret, envFallback: false, telemetry: 'no' as never }),
      ],
    }).compile();
    await expect(compile).rejects.toBeInstanceOf(FlowConfigurationError);
    await expect(compile).rejects.toThrow('telemetry must be true or false');
  });
});

describe('telling whether an SDK is registered', () => {
  afterEach(() => {
    api.metrics.disable();
    api.trace.disable();
  });

  it('is false with the API alone, true with a MeterProvider or a TracerProvider', () => {
    expect(sdkRegistered(api)).toBe(false);
    api.metrics.setGlobalMeterProvider(new MeterProvider());
    expect(sdkRegistered(api)).toBe(true);
    api.metrics.disable();
    expect(sdkRegistered(api)).toBe(false);
    api.trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(sdkRegistered(api)).toBe(true);
  });

  it('gives the module, with the API alone, the very recorder of telemetry: false', async () => {
    const recorderOf = async (telemetry: boolean): Promise<unknown> => {
      const moduleRef = await Test.createTestingModule({
        imports: [FlowModule.forRoot({ apiSecret: secret, envFallback: false, telemetry })],
      }).compile();
      return moduleRef.get(FLOW_TELEMETRY, { strict: false });
    };
    // Same object, so the receiver's per-request path is the same code with or without the API.
    expect(await recorderOf(true)).toBe(NOOP_FLOW_TELEMETRY);
    expect(await recorderOf(false)).toBe(NOOP_FLOW_TELEMETRY);
    api.metrics.setGlobalMeterProvider(new MeterProvider());
    const recorder = (await recorderOf(true)) as { enabled: boolean };
    expect(recorder).not.toBe(NOOP_FLOW_TELEMETRY);
    expect(recorder.enabled).toBe(true);
  });

  it("names the meter after the package, with package.json's version", async () => {
    const version = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    const telemetry = new InMemoryTelemetry();
    const probe = new HandlerProbe();
    const running = await startTelemetryApp({ platform: 'express', secret, probe });
    try {
      expect((await deliver(running.baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);
      expect(await telemetry.scopes()).toEqual([{ name: 'nestjs-cognito-flow', version }]);
      const span = telemetry.finishedSpans()[0];
      expect(span.instrumentationScope).toMatchObject({ name: 'nestjs-cognito-flow', version });
    } finally {
      await running.app.close();
      await telemetry.close();
    }
  });
});
