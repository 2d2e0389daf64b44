/** The environment word of the emulator's generated keys (`emulator_secret_…`): Cognito has none such. */
export const EMULATOR_KEY_ENVIRONMENT = 'emulator';

// Origins of the emulators running in this process: an app started beside one (the sample does)
// must not be pointed at it in production. A process-wide set, since both live in one process.
const origins = new Set<string>();

/** Records a running emulator's origins; returns the function that forgets them on close. */
export function registerEmulatorOrigins(list: Iterable<string>): () => void {
  const added = [...list].filter((origin) => !origins.has(origin));
  for (const origin of added) origins.add(origin);
  return () => {
    for (const origin of added) origins.delete(origin);
  };
}

/** True when `origin` (as `URL.origin` spells it) is a running emulator's. */
export function isRunningEmulatorOrigin(origin: string): boolean {
  return origins.has(origin);
}
