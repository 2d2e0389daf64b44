import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { SampleTokenPayload } from './auth.service.js';
import { findDemoUserById, type DemoUser } from './demo-users.js';

/** The principal the guard puts on `request.user` (the Passport convention FlowModule reads). */
export interface AuthenticatedUser {
  /** The customer reference FlowModule signs. */
  id: string;
  /** Login name. */
  username: string;
  /** Shown on the page. */
  displayName: string;
}

interface BearerRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthenticatedUser;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * The sample's bearer guard: verifies the `Authorization: Bearer <jwt>` token with JwtService
 * (HS256 only) and sets `request.user` to the demo user it names. Anything else is a 401.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  /** Lets the request through only with a valid, unexpired token of a known user. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<BearerRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match)
      throw new UnauthorizedException('Log in first: send Authorization: Bearer <accessToken>.');
    let payload: SampleTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<SampleTokenPayload>(match[1], { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('The access token is invalid or expired: log in again.');
    }
    const user: DemoUser | undefined = findDemoUserById(payload.sub);
    if (!user)
      throw new UnauthorizedException('The access token names no known user: log in again.');
    request.user = { id: user.id, username: user.username, displayName: user.displayName };
    return true;
  }
}
