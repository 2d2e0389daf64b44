import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { keyWritten } from '../routing/route-scan.js';
import { fakeAuthGuard, type FakeAuthGuard } from './fake-auth-guard.js';

/** What {@link overrideAuthGuard} takes besides the testing module builder. */
export interface OverrideAuthGuardOptions {
  /** The app's auth guard class, as given to `APP_GUARD`, `@UseGuards()` and `signatureEndpoint.guards`. */
  guard: abstract new (...args: never[]) => unknown;
  /** The principal the stand-in sets on `request.user`, e.g. `{ id: 'user-1' }`. */
  user: { id: string | number } & Record<string, unknown>;
  /**
   * The modules to search for `{ provide: APP_GUARD, useClass | useExisting: guard }`: what the
   * test passes to `Test.createTestingModule({ imports })`. Their imports are searched too.
   */
  imports: readonly unknown[];
}

/** A module as Nest takes it in `imports`: a class, a dynamic module, or a forward reference. */
type ModuleEntry = ModuleClass | DynamicModuleLike;

/** A module class: `withProviders` subclasses it. */
type ModuleClass = new (...args: never[]) => object;

interface DynamicModuleLike {
  module: ModuleClass;
  imports?: unknown[];
  providers?: unknown[];
}

/** The metadata keys `@Module()` writes, read off a probe: `@nestjs/common` keeps them off its root. */
function moduleKey(field: 'imports' | 'providers'): string {
  const marker: unknown[] = [];
  class ModuleKeyProbe {}
  Module({ [field]: marker })(ModuleKeyProbe);
  return keyWritten(ModuleKeyProbe, marker);
}

const IMPORTS_KEY = moduleKey('imports');
const PROVIDERS_KEY = moduleKey('providers');

function classMetadata(type: object, key: string): unknown[] {
  const value: unknown = Reflect.getMetadata(key, type);
  return Array.isArray(value) ? value : [];
}

/** A forward reference resolved; a promise of a module (`imports: [import(…)]`) cannot be read now. */
function resolveEntry(entry: unknown): ModuleEntry | undefined {
  const forward = (entry as { forwardRef?: unknown } | null)?.forwardRef;
  const resolved: unknown = typeof forward === 'function' ? (forward as () => unknown)() : entry;
  if (typeof resolved === 'function') return resolved as ModuleEntry;
  const module = (resolved as Partial<DynamicModuleLike> | null)?.module;
  return typeof module === 'function' ? (resolved as DynamicModuleLike) : undefined;
}

/** True for `{ provide: APP_GUARD, useClass: guard }` and `{ provide: APP_GUARD, useExisting: guard }`. */
function registersGlobally(provider: unknown, guard: unknown): boolean {
  if (typeof provider !== 'object' || provider === null) return false;
  const { provide, useClass, useExisting } = provider as Record<string, unknown>;
  return provide === APP_GUARD && (useClass === guard || useExisting === guard);
}

/** The providers with each global registration of `guard` given the stand-in instead. */
function replaced(
  providers: unknown[],
  guard: unknown,
  fake: FakeAuthGuard,
): unknown[] | undefined {
  if (!providers.some((provider) => registersGlobally(provider, guard))) return undefined;
  return providers.map((provider) =>
    registersGlobally(provider, guard) ? { provide: APP_GUARD, useValue: fake } : provider,
  );
}

/**
 * A subclass of `type` whose providers are `providers`: it keeps the module's constructor,
 * lifecycle hooks and every other `@Module()` field (read through the prototype chain).
 */
function withProviders(type: ModuleClass, providers: unknown[]): ModuleClass {
  const Replacement = class extends (type as new (...args: unknown[]) => object) {};
  Object.defineProperty(Replacement, 'name', { value: type.name });
  Module({ providers: providers as never[] })(Replacement);
  return Replacement;
}

/** Every module reachable from `imports` that registers `guard` globally, with its replacement. */
function replacements(
  imports: readonly unknown[],
  guard: unknown,
  fake: FakeAuthGuard,
): Array<[ModuleEntry, ModuleEntry]> {
  const found: Array<[ModuleEntry, ModuleEntry]> = [];
  const seen = new Set<unknown>();
  const visit = (entries: readonly unknown[]): void => {
    for (const raw of entries) {
      const entry = resolveEntry(raw);
      if (entry === undefined || seen.has(entry)) continue;
      seen.add(entry);
      const type = typeof entry === 'function' ? entry : entry.module;
      const ownProviders = replaced(classMetadata(type, PROVIDERS_KEY), guard, fake);
      const newType = ownProviders === undefined ? type : withProviders(type, ownProviders);
      if (typeof entry === 'function') {
        if (newType !== type) found.push([entry, newType]);
      } else {
        const dynamicProviders = replaced(entry.providers ?? [], guard, fake);
        if (newType !== type || dynamicProviders !== undefined) {
          found.push([
            entry,
            { ...entry, module: newType, providers: dynamicProviders ?? entry.providers },
          ] as [ModuleEntry, ModuleEntry]);
        }
      }
      visit(classMetadata(type, IMPORTS_KEY));
      if (typeof entry !== 'function') visit(entry.imports ?? []);
    }
  };
  visit(imports);
  return found;
}

/**
 * Replaces the app's auth guard with {@link fakeAuthGuard}`(user)` everywhere it runs, in one call
 * on Nest's `TestingModuleBuilder`: on routes (`@UseGuards()`, `signatureEndpoint.guards`, the
 * hosted-session route) through `overrideGuard`, and as a global guard (`APP_GUARD` with
 * `useClass` or `useExisting`) through `overrideModule` on each module that registers it.
 * Nest keeps one override per token, so `overrideGuard` and `overrideProvider` on the same class
 * cannot both apply; and an `APP_GUARD` with `useClass` has a token no test can name.
 * @example
 * ```ts
 * const builder = Test.createTestingModule({ imports: [AppModule] });
 * const options = { guard: JwtAuthGuard, user: { id: 'user-1' }, imports: [AppModule] };
 * const moduleRef = await overrideAuthGuard(builder, options).compile();
 * ```
 */
export function overrideAuthGuard<
  // The part of Nest's TestingModuleBuilder it uses, so this entry point never loads @nestjs/testing.
  B extends {
    overrideGuard(token: never): { useValue(value: never): B };
    overrideModule(module: never): { useModule(replacement: never): B };
  },
>(builder: B, options: OverrideAuthGuardOptions): B {
  if (typeof options?.guard !== 'function' || !Array.isArray(options.imports)) {
    throw new TypeError(
      'overrideAuthGuard: pass { guard: JwtAuthGuard, user: { id: … }, imports: [AppModule] }.',
    );
  }
  const fake = fakeAuthGuard(options.user);
  let result = builder.overrideGuard(options.guard as never).useValue(fake as never);
  for (const [original, replacement] of replacements(options.imports, options.guard, fake)) {
    result = result.overrideModule(original as never).useModule(replacement as never);
  }
  return result;
}
