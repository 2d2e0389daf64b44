import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { createFlowSignatureController } from '../../lib/signature-endpoint/create-flow-signature-controller.js';

const admitAll = { canActivate: () => true };

// Vitest loads lib/ afresh for each test file, so these are the process's first registrations.
describe('the signature controller class names', () => {
  it("reads plainly in Nest's route log for the first registration, and stays unique after", () => {
    const first = createFlowSignatureController([admitAll], 'users/current/flow_signature');
    const second = createFlowSignatureController([admitAll], 'users/current/flow_signature');
    expect(first.name).toBe('FlowSignatureController');
    expect(second.name).toBe('FlowSignatureController2');
    expect(first).not.toBe(second);
  });
});
