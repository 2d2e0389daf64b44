import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { loadSampleConfig } from './config/sample-config.js';
import { pointWebhooksAtApp, startSampleEmulator } from './config/sample-emulator.js';
import { startUpBanner } from './config/start-up-banner.js';
import { createSampleApp } from './sample-app.js';
import { WEBHOOK_PATH } from './sample.constants.js';

// `npm start`: read the environment, start the Flow emulator when no Flow keys are set (outside
// production), start the app, print where it listens. A configuration problem ends the process
// with its message (which says how to fix it and never holds a secret).
async function start(): Promise<void> {
  let config = loadSampleConfig(process.env);
  const local = config.emulator ? await startSampleEmulator(config) : undefined;
  if (local) config = local.config;
  const app = await createSampleApp(config);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  if (local) pointWebhooksAtApp(local.emulator, config.host, port, WEBHOOK_PATH);
  const host =
    config.host === '127.0.0.1'
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  process.stdout.write(`${startUpBanner(config, `http://${host}:${port}/`, local?.emulator)}\n`);
}

start().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`The sample app could not start. ${message}\n`);
  process.exit(1);
});
