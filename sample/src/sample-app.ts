import type { ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { SampleConfig } from './config/sample-config.js';
import { samplePublicDir } from './config/sample-paths.js';
import { samplePrometheusExporter } from './observability/prometheus-metrics.js';
import { WEBHOOK_PATH } from './sample.constants.js';

/** Options for {@link createSampleApp}. */
export interface CreateSampleAppOptions {
  /** Nest's logger setting; tests pass `false`. */
  logger?: false | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal'>;
}

/**
 * Builds the sample on Express: raw bodies kept for webhook verification, every route under
 * `/api` except the webhook receiver, `/health` and `/metrics`, and the page's static files at `/`.
 */
export async function createSampleApp(
  config: SampleConfig,
  options: CreateSampleAppOptions = {},
): Promise<NestExpressApplication> {
  // Before the app exists, so every meter FlowModule asks for comes from this provider.
  samplePrometheusExporter();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    rawBody: true,
    logger: options.logger,
    // Throw start-up errors to the caller (main.ts prints them) instead of exiting the process.
    abortOnError: false,
  });
  app.setGlobalPrefix('api', {
    exclude: [
      { path: WEBHOOK_PATH, method: RequestMethod.POST },
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.disable('x-powered-by');
  // The page's icon is inline; a browser or tool that still asks for /favicon.ico gets "no content".
  app.use('/favicon.ico', (_request: unknown, response: ServerResponse) => {
    response.writeHead(204, { 'Cache-Control': 'max-age=86400' });
    response.end();
  });
  app.useStaticAssets(samplePublicDir(), {
    index: 'index.html',
    setHeaders: (response: ServerResponse) => {
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Referrer-Policy', 'no-referrer');
      response.setHeader('Cache-Control', 'no-cache');
    },
  });
  app.enableShutdownHooks();
  return app;
}
