import { Controller, Get, Header, Inject } from '@nestjs/common';
import { SAMPLE_CONFIG, WEBHOOK_PATH } from '../sample.constants.js';
import type { SampleConfig } from '../config/sample-config.js';
import { defaultDevSecretFile } from '../config/sample-paths.js';

/** What the page needs before anyone logs in. Nothing here is secret. */
export interface PageConfig {
  /** The Flow script the page loads on "Verify my identity". */
  flowScriptUrl: string;
  /** Which public Flow values are placeholders, so the page can say so. */
  placeholders: { publishableKey: boolean; templateId: boolean };
  /** Where Flow (or the CLI) posts webhooks. */
  webhookPath: string;
  /** True when the server runs on the generated development secret (its file is not named here). */
  devSecretInUse: boolean;
  /**
   * What the page's CLI command passes to `--secret-file`: `.flow-dev-secret` for the default file
   * (the repository root, where `npm start` runs), `"$FLOW_DEV_SECRET_FILE"` when that variable
   * moved it; null on `FLOW_API_SECRET`, which the CLI reads from the environment itself.
   */
  secretFileArgument: string | null;
  /**
   * The local Flow emulator's URL when the sample runs on it, so the page shows the
   * `cognito-flow trigger` command that works there; null with real Flow.
   */
  emulatorUrl: string | null;
}

/** `GET /api/sample/config`: the page's settings, so no value is written into the HTML. */
@Controller('sample')
export class PageConfigController {
  constructor(@Inject(SAMPLE_CONFIG) private readonly config: SampleConfig) {}

  /** The page's public settings. */
  @Get('config')
  @Header('Cache-Control', 'no-store')
  pageConfig(): PageConfig {
    return {
      flowScriptUrl: this.config.flowScriptUrl,
      placeholders: { ...this.config.placeholders },
      webhookPath: `/${WEBHOOK_PATH}`,
      devSecretInUse: this.config.devSecret !== undefined,
      secretFileArgument: secretFileArgument(this.config),
      emulatorUrl: this.config.emulatorUrl ?? null,
    };
  }
}

function secretFileArgument(config: SampleConfig): string | null {
  if (config.devSecret === undefined) return null;
  return config.devSecret.file === defaultDevSecretFile()
    ? '.flow-dev-secret'
    : '"$FLOW_DEV_SECRET_FILE"';
}
