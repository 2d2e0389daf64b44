// A Nest app as the classic `nest new` template writes it (CommonJS output, node10 module
// resolution), importing the package and its protocol, emulator and testing entry points by name. It runs the smoke
// scenario: the signature route behind a guard, the built-in webhook receiver with an
// @OnFlowEvent handler, a delivery and its replay; then prints what it saw as one JSON line.
import 'reflect-metadata';
import { readFileSync } from 'fs';
import { CanActivate, ExecutionContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FlowModule,
  FlowSigner,
  OnFlowEvent,
  type FlowSessionStatusUpdatedEvent,
} from 'nestjs-cognito-flow';
import { startFlowEmulator } from 'nestjs-cognito-flow/emulator';
import { verifyFlowWebhook, type FlowWebhookVerifier } from 'nestjs-cognito-flow/protocol';
import { signFlowWebhook } from 'nestjs-cognito-flow/testing';

const reference = process.env.SMOKE_CUSTOMER_REFERENCE;
const handled: string[] = [];

@Injectable()
class SmokeUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    context.switchToHttp().getRequest<{ user?: { id: string } }>().user = { id: reference };
    return true;
  }
}

@Injectable()
class StatusHandler {
  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowSessionStatusUpdatedEvent): void {
    handled.push(event.id);
  }
}

@Module({
  imports: [
    FlowModule.forRoot({
      signatureEndpoint: { guards: [SmokeUserGuard] },
      webhook: { path: 'webhook_receivers/flow' },
    }),
  ],
  providers: [StatusHandler],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false, rawBody: true });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer() as { address(): { port: number } }).address().port}`;

  const endpoint = await fetch(`${base}/users/current/flow_signature`);
  const body = process.env.SMOKE_WEBHOOK_BODY;
  const headers = signFlowWebhook({
    secret: process.env.FLOW_API_SECRET,
    path: '/webhook_receivers/flow',
    body,
  });
  const deliver = () =>
    fetch(`${base}/webhook_receivers/flow`, { method: 'POST', headers: { ...headers }, body });
  const delivery = await deliver();
  const redelivery = await deliver();
  // The subpaths' types resolve under node10 through typesVersions.
  const verified: ReturnType<FlowWebhookVerifier> = verifyFlowWebhook(
    { method: 'POST', url: '/webhook_receivers/flow', headers, rawBody: Buffer.from(body) },
    { secrets: [process.env.FLOW_API_SECRET] },
  );
  const emulator = await startFlowEmulator();
  const emulatorPage = await fetch(emulator.url);
  await emulatorPage.arrayBuffer();
  await emulator.close();

  const nestVersion = (
    JSON.parse(readFileSync(require.resolve('@nestjs/core/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const result = {
    // Compiled to CommonJS, this file loads the ES module package through require(esm).
    loader: typeof require === 'function' && typeof module === 'object' ? 'require' : 'import',
    nestVersion,
    signature: app.get(FlowSigner).sign(reference),
    endpoint: { status: endpoint.status, body: (await endpoint.json()) as unknown },
    webhookStatuses: [delivery.status, redelivery.status],
    handled,
    protocolEventId: verified.id,
    emulatorPageStatus: emulatorPage.status,
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
