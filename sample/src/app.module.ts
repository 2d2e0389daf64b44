import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { FlowHealthIndicator } from '../../lib/health/index.js';
import { FlowModule } from '../../lib/index.js';
import { AuthModule } from './auth/auth.module.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import type { SampleConfig } from './config/sample-config.js';
import { createEventStore } from './event-store.js';
import { KycModule } from './kyc/kyc.module.js';
import { ActivityController } from './observability/activity.controller.js';
import { HealthController } from './observability/health.controller.js';
import { MetricsController } from './observability/metrics.controller.js';
import { PageConfigController } from './page/page-config.controller.js';
import { HOSTED_SESSION_PATH, SAMPLE_CONFIG, WEBHOOK_PATH } from './sample.constants.js';

/**
 * The sample application: login, FlowModule's two routes, the KYC status, the page's settings,
 * and for operators `/health` and `/metrics`.
 */
@Module({})
export class AppModule {
  /** The app for one configuration (read from the environment by `main.ts`, or given by tests). */
  static forConfig(config: SampleConfig): DynamicModule {
    const auth = AuthModule.forSecret(config.jwtSecret);
    return {
      module: AppModule,
      imports: [
        auth,
        KycModule.withAuth(auth),
        // FLOW_API_SECRET, FLOW_API_KEY, FLOW_PUBLISHABLE_KEY and FLOW_TEMPLATE_ID are read by the
        // module; the sample only fills in what is unset (development secret, placeholders).
        FlowModule.forRoot({
          ...config.flowValues,
          // GET /api/users/current/flow_signature, behind the app's own bearer guard; the guard's
          // JwtService comes from the AuthModule passed in `imports`.
          signatureEndpoint: {
            guards: [JwtAuthGuard],
            imports: [auth],
            // POST /api/users/current/flow_session, for mobile apps (a WebView of the hosted page):
            // only with FLOW_API_KEY, since it creates the session through Cognito's API.
            ...(config.flowApi ? { hostedSessionPath: HOSTED_SESSION_PATH } : {}),
          },
          // POST /webhook_receivers/flow: verified, then each event id dispatched once.
          webhook: { path: WEBHOOK_PATH, store: createEventStore(config) },
        }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [PageConfigController, ActivityController, HealthController, MetricsController],
      providers: [{ provide: SAMPLE_CONFIG, useValue: config }, FlowHealthIndicator],
    };
  }
}
