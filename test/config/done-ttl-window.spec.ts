import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { FlowConfigurationError, FlowModule, type FlowModuleOptions } from '../../lib/index.js';
import { resolveFlowOptions } from '../../lib/config/resolve-flow-options.js';
import { generateSecret } from '../support/test-secrets.js';

const apiSecret = generateSecret();

function warningsOf(webhook: FlowModuleOptions['webhook']): string[] {
  const lines: string[] = [];
  resolveFlowOptions({ apiSecret, webhook }, {}, { warn: (line: string) => lines.push(line) });
  return lines;
}

describe('webhook.doneTtlSeconds against the Date window', () => {
  it('refuses at start-up a done-TTL shorter than twice the default ±900 s window', async () => {
    const error = await Test.createTestingModule({
      imports: [FlowModule.forRoot({ apiSecret, webhook: { doneTtlSeconds: 60 } })],
    })
      .compile()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(FlowConfigurationError);
    expect((error as FlowConfigurationError).code).toBe('invalid_option');
    expect((error as FlowConfigurationError).message).toMatch(/doneTtlSeconds \(60\).*1800/);
  });

  it.each([
    [1799, 900],
    [119, 60],
    [89, 45],
  ])('refuses doneTtlSeconds %i with toleranceSeconds %i', (doneTtlSeconds, toleranceSeconds) => {
    expect(() => warningsOf({ doneTtlSeconds, toleranceSeconds })).toThrow(
      new RegExp(`at least ${2 * toleranceSeconds}\\b`),
    );
  });

  it('accepts exactly twice the window, with a warning that it is shorter than Cognito retries', () => {
    const lines = warningsOf({ doneTtlSeconds: 1800 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/doneTtlSeconds \(1800\) is shorter than Cognito's retry span/);
    expect(warningsOf({ doneTtlSeconds: 120, toleranceSeconds: 60 })).toHaveLength(1);
  });

  it('says nothing from four days up, and nothing for the default of seven days', () => {
    expect(warningsOf({ doneTtlSeconds: 4 * 24 * 60 * 60 })).toEqual([]);
    expect(warningsOf({})).toEqual([]);
    expect(warningsOf(undefined)).toEqual([]);
  });
});
