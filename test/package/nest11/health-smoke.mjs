// Boots the documented health controller (docs/health.md) in this Nest 11 host with the
// @nestjs/terminus it installed, GETs /health and prints what it saw as one JSON line. Plain
// JavaScript, decorators applied as functions: it runs unchanged against the installed tarball.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { FlowModule } from 'nestjs-cognito-flow';
import { FlowHealthIndicator } from 'nestjs-cognito-flow/health';

class HealthController {
  constructor(health, flow) {
    this.health = health;
    this.flow = flow;
  }

  check() {
    return this.health.check([() => this.flow.checkStore('flow_event_store')]);
  }
}
// Without emitted design types, each constructor parameter names its provider.
Inject(HealthCheckService)(HealthController, undefined, 0);
Inject(FlowHealthIndicator)(HealthController, undefined, 1);
const check = Object.getOwnPropertyDescriptor(HealthController.prototype, 'check');
Get()(HealthController.prototype, 'check', check);
HealthCheck()(HealthController.prototype, 'check', check);
Controller('health')(HealthController);

class AppModule {}
Module({
  imports: [FlowModule.forRoot({ webhook: { path: 'webhook_receivers/flow' } }), TerminusModule],
  controllers: [HealthController],
  providers: [FlowHealthIndicator],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
await app.listen(0, '127.0.0.1');
const answer = await fetch(`http://127.0.0.1:${app.getHttpServer().address().port}/health`);
const body = await answer.json();
await app.close();

// The copies the health entry point itself resolves: a nested or hoisted other major would show.
const fromHealth = createRequire(import.meta.resolve('nestjs-cognito-flow/health'));
const versionOf = (name) =>
  JSON.parse(readFileSync(fromHealth.resolve(`${name}/package.json`), 'utf8')).version;
process.stdout.write(
  `${JSON.stringify({
    terminusVersion: versionOf('@nestjs/terminus'),
    nestVersion: versionOf('@nestjs/core'),
    status: answer.status,
    body,
  })}\n`,
);
