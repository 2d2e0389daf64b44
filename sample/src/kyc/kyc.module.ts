import { Module, type DynamicModule } from '@nestjs/common';
import { KycController } from './kyc.controller.js';
import { KycEventsHandler } from './kyc-events.handler.js';
import { KycStatusStore } from './kyc-status.store.js';

/** Users' verification statuses: the webhook handler that records them and the route that shows them. */
@Module({})
export class KycModule {
  /** The module, with `auth` (the app's AuthModule) giving the guard its JwtService. */
  static withAuth(auth: DynamicModule): DynamicModule {
    return {
      module: KycModule,
      imports: [auth],
      controllers: [KycController],
      providers: [KycStatusStore, KycEventsHandler],
    };
  }
}
