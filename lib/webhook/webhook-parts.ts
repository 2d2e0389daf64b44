import type { Provider } from '@nestjs/common';

/** What webhook verification adds to FlowModule (the guard, for hosts' own routes). Placeholder. */
export function webhookParts(): { providers: Provider[]; exports: Provider[] } {
  return { providers: [], exports: [] };
}
