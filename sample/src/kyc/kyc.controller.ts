import { Controller, Get, Header, Req, UseGuards } from '@nestjs/common';
import { JwtAuthGuard, type AuthenticatedUser } from '../auth/jwt-auth.guard.js';
import { KycStatusStore, type KycView } from './kyc-status.store.js';

/** The current user's verification status, as the webhooks reported it. */
@Controller('users/current')
@UseGuards(JwtAuthGuard)
export class KycController {
  constructor(private readonly store: KycStatusStore) {}

  /** `GET /api/users/current/kyc` → `{ customerReference, status, history }`. */
  @Get('kyc')
  @Header('Cache-Control', 'no-store')
  current(@Req() request: { user: AuthenticatedUser }): KycView {
    return this.store.view(request.user.id);
  }
}
