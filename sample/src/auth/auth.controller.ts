import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { AuthService, TOKEN_TTL_SECONDS } from './auth.service.js';
import { JwtAuthGuard, type AuthenticatedUser } from './jwt-auth.guard.js';

/** The body of `POST /api/auth/login`. */
export interface LoginBody {
  username?: unknown;
  password?: unknown;
}

/** Login for the demo users, and who the current token belongs to. */
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** `POST /api/auth/login` `{ username, password }` → `{ accessToken }`; 401 for anything else. */
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() body: LoginBody | undefined,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const user = this.auth.verifyCredentials(body?.username, body?.password);
    // One message for an unknown name and a wrong password: the answer reveals neither.
    if (!user) throw new UnauthorizedException('Wrong user name or password.');
    return { accessToken: await this.auth.issueToken(user), expiresIn: TOKEN_TTL_SECONDS };
  }

  /** `GET /api/auth/me`: the logged-in user, for the page's header. */
  @Get('me')
  @UseGuards(JwtAuthGuard)
  me(@Req() request: { user: AuthenticatedUser }): AuthenticatedUser {
    return request.user;
  }
}
