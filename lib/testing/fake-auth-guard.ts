/** The part of Nest's `ExecutionContext` the stand-in reads (kept structural: no Nest import). */
export interface FakeAuthGuardContext {
  /** Nest's `switchToHttp()`. */
  switchToHttp(): { getRequest<T = any>(): T };
}

/** A guard as Nest calls it: what {@link fakeAuthGuard} returns. */
export interface FakeAuthGuard {
  /** Sets `request.user` and lets the request through. */
  canActivate(context: FakeAuthGuardContext): boolean;
}

/**
 * A stand-in for the host's auth guard in unit tests: lets every HTTP request through as `user`,
 * set on `request.user` the way Passport does, so the signature route signs for that user.
 * `Test.createTestingModule(…).overrideGuard(JwtAuthGuard).useValue(fakeAuthGuard({ id: 'user-1' }))`.
 * A replacement that only returns true leaves no principal: the route then answers 401, and a
 * resolver that reads `request.user.id` without a check throws (500).
 */
export function fakeAuthGuard(
  user: { id: string | number } & Record<string, unknown>,
): FakeAuthGuard {
  if (typeof user !== 'object' || user === null) {
    throw new TypeError(
      "fakeAuthGuard: pass the principal your guard sets, e.g. { id: 'user-1' }.",
    );
  }
  return {
    canActivate(context: FakeAuthGuardContext): boolean {
      const request = context.switchToHttp().getRequest<{ user?: unknown }>();
      request.user = user;
      return true;
    },
  };
}
