import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { createFlowSignatureController } from '../../lib/signature-endpoint/create-flow-signature-controller.js';

const admitAll = { canActivate: () => true };

describe('the signature controller classes', () => {
  it("read plainly in Nest's route log, one new class per registration, with no counter kept", () => {
    const first = createFlowSignatureController([admitAll], 'users/current/flow_signature');
    const second = createFlowSignatureController([admitAll], 'users/current/flow_signature');
    expect(first.name).toBe('FlowSignatureController');
    expect(second.name).toBe('FlowSignatureController');
    expect(first).not.toBe(second);
  });
});
