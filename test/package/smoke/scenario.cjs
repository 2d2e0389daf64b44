// The smoke scenario shared by the ESM and CommonJS entry points: plain JavaScript, no build step,
// decorators applied as functions, so it runs unchanged against any installed copy of the package.
// It boots an HTTP app with FlowModule.forRoot() (secrets from FLOW_* variables), the signature
// route behind a guard, the built-in webhook receiver with an @OnFlowEvent handler, then calls both
// over HTTP, verifies the delivery again with the protocol entry point, opens the emulator's page,
// and prints what it saw as one JSON line.
const { readFileSync } = require('node:fs');

async function run({
  Module,
  Injectable,
  NestFactory,
  FlowModule,
  FlowSigner,
  OnFlowEvent,
  signFlowWebhook,
  verifyFlowWebhook,
  startFlowEmulator,
  loader,
}) {
  const handled = [];
  class StatusHandler {
    onStatus(event) {
      handled.push(event.id);
    }
  }
  // A class decorator called as a function returns nothing: decorate, then use the class.
  Injectable()(StatusHandler);
  OnFlowEvent('flow_session.status.updated')(
    StatusHandler.prototype,
    'onStatus',
    Object.getOwnPropertyDescriptor(StatusHandler.prototype, 'onStatus'),
  );
  const reference = process.env.SMOKE_CUSTOMER_REFERENCE;
  // Stands in for the host's auth guard: it authenticates every caller as the smoke user.
  const guard = {
    canActivate: (context) => (
      (context.switchToHttp().getRequest().user = { id: reference }),
      true
    ),
  };
  class AppModule {}
  Module({
    imports: [
      FlowModule.forRoot({
        signatureEndpoint: { guards: [guard] },
        webhook: { path: 'webhook_receivers/flow' },
      }),
    ],
    providers: [StatusHandler],
  })(AppModule);

  const app = await NestFactory.create(AppModule, {
    logger: false,
    rawBody: true,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

  const endpoint = await fetch(`${base}/users/current/flow_signature`);
  const body = process.env.SMOKE_WEBHOOK_BODY;
  const headers = signFlowWebhook({
    secret: process.env.FLOW_API_SECRET,
    path: '/webhook_receivers/flow',
    body,
  });
  const delivery = await fetch(`${base}/webhook_receivers/flow`, { method: 'POST', headers, body });
  const redelivery = await fetch(`${base}/webhook_receivers/flow`, {
    method: 'POST',
    headers,
    body,
  });

  // The /protocol entry point verifies the same delivery without Nest.
  const verified = verifyFlowWebhook(
    { method: 'POST', url: '/webhook_receivers/flow', headers, rawBody: Buffer.from(body) },
    { secrets: [process.env.FLOW_API_SECRET] },
  );
  // The /emulator entry point starts the local stand-in and serves its page.
  const emulator = await startFlowEmulator();
  const emulatorPage = await fetch(emulator.url);
  await emulatorPage.arrayBuffer();
  await emulator.close();

  const nestVersion = JSON.parse(
    readFileSync(require.resolve('@nestjs/core/package.json', { paths: [process.cwd()] }), 'utf8'),
  ).version;
  const result = {
    loader,
    nestVersion,
    signature: app.get(FlowSigner).sign(reference),
    endpoint: { status: endpoint.status, body: await endpoint.json() },
    webhookStatuses: [delivery.status, redelivery.status],
    handled,
    protocolEventId: verified.id,
    emulatorPageStatus: emulatorPage.status,
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = { run };
