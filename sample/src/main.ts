import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { loadSampleConfig } from './config/sample-config.js';
import { startUpBanner } from './config/start-up-banner.js';
import { createSampleApp } from './sample-app.js';

// `npm start`: read the environment, start the app, print where it listens. A configuration
// problem ends the process with its message (which says how to fix it and never holds a secret).
async function start(): Promise<void> {
  const config = loadSampleConfig(process.env);
  const app = await createSampleApp(config);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host =
    config.host === '127.0.0.1'
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  process.stdout.write(`${startUpBanner(config, `http://${host}:${port}/`)}\n`);
}

start().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`The sample app could not start. ${message}\n`);
  process.exit(1);
});
