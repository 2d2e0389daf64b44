import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_EMULATOR_IDENTITY } from '../../lib/emulator/emulator-identity.js';
import { FlowEmulatorSessions } from '../../lib/emulator/emulator-sessions.js';

const TEMPLATE = 'flwtmp_shareablekey01';

function sessions(): FlowEmulatorSessions {
  return new FlowEmulatorSessions({
    steps: ['accept_tos', 'kyc_check'],
    shareableUrl: (templateId, key) => `http://127.0.0.1:1/verify/${templateId}?key=${key}`,
    identity: () => ({ ...DEFAULT_EMULATOR_IDENTITY }),
  });
}

/** The key a shareable URL carries. */
function keyOf(url: string | null | undefined): string {
  return new URL(String(url)).searchParams.get('key') ?? '';
}

afterEach(() => vi.restoreAllMocks());

describe("the emulator's shareable-key lookup", () => {
  it('finds the session by its key, and nothing by a key one character off', () => {
    const store = sessions();
    const { session } = store.open('user-key', TEMPLATE, { idempotent: true });
    const key = keyOf(session.shareable_url);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(store.byShareableKey(key)?.id).toBe(session.id);
    const off = `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
    expect(store.byShareableKey(off)).toBeUndefined();
    expect(store.byShareableKey('')).toBeUndefined();
  });

  it('never compares the given key itself: only its SHA-256 reaches a lookup', () => {
    const store = sessions();
    const key = keyOf(
      store.open('user-digest', TEMPLATE, { idempotent: true }).session.shareable_url,
    );
    const probe = `${key.slice(0, 32)}${'f'.repeat(32)}`;
    const looked: unknown[] = [];
    const original = Object.getOwnPropertyDescriptor(Map.prototype, 'get')!.value as (
      this: Map<unknown, unknown>,
      key: unknown,
    ) => unknown;
    vi.spyOn(Map.prototype, 'get').mockImplementation(function (
      this: Map<unknown, unknown>,
      k: unknown,
    ): unknown {
      looked.push(k);
      return original.call(this, k);
    });
    expect(store.byShareableKey(key)).toBeDefined();
    expect(store.byShareableKey(probe)).toBeUndefined();
    // Computed here with node:crypto, not by the code under test.
    const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
    expect(looked).toContain(digest(key));
    expect(looked).toContain(digest(probe));
    expect(looked).not.toContain(key);
    expect(looked).not.toContain(probe);
  });
});
