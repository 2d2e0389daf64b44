import { describe, expect, it } from 'vitest';
import { KycStatusStore } from '../../sample/src/kyc/kyc-status.store.js';

const USER = '6f1c2b7e-3d5a-4e8f-9b0c-1a2d3e4f5a6b';
const entry = (eventId: string, status: string, at: string) => ({
  eventId,
  event: 'flow_session.status.updated',
  status,
  at,
});

describe("the sample's KYC status store", () => {
  it('applies an event id once', () => {
    const store = new KycStatusStore();
    expect(store.apply(USER, entry('whkevt_a', 'active', '2026-01-01T00:00:00Z'))).toBe(true);
    expect(store.apply(USER, entry('whkevt_a', 'success', '2026-01-02T00:00:00Z'))).toBe(false);
    expect(store.view(USER)).toStrictEqual({
      customerReference: USER,
      status: 'active',
      history: [entry('whkevt_a', 'active', '2026-01-01T00:00:00Z')],
    });
  });

  it('reports the status of the latest timestamp, whatever the arrival order', () => {
    const store = new KycStatusStore();
    store.apply(USER, entry('whkevt_2', 'success', '2026-01-01T10:00:00Z'));
    store.apply(USER, entry('whkevt_1', 'active', '2026-01-01T09:00:00Z'));
    store.apply(USER, entry('whkevt_0', 'failed', 'not a date'));
    expect(store.view(USER).status).toBe('success');
    // Same instant: the later arrival wins.
    store.apply(USER, entry('whkevt_3', 'pending_review', '2026-01-01T10:00:00Z'));
    expect(store.view(USER).status).toBe('pending_review');
    expect(store.view(USER).history.map((item) => item.eventId)).toStrictEqual([
      'whkevt_2',
      'whkevt_1',
      'whkevt_0',
      'whkevt_3',
    ]);
  });

  it('answers null and an empty history for a user without events, and hands out copies', () => {
    const store = new KycStatusStore();
    expect(store.view(USER)).toStrictEqual({ customerReference: USER, status: null, history: [] });
    store.apply(USER, entry('whkevt_a', 'active', '2026-01-01T00:00:00Z'));
    store.view(USER).history[0].status = 'success';
    expect(store.view(USER).history[0].status).toBe('active');
  });
});
