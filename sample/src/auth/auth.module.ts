import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthController } from './auth.controller.js';
import { AuthService, TOKEN_TTL_SECONDS } from './auth.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

/**
 * Login and the bearer guard. It exports JwtModule and the guard so any module that uses
 * `JwtAuthGuard` (FlowModule's signature route included, through `signatureEndpoint.imports`)
 * can resolve the guard's JwtService.
 */
@Module({})
export class AuthModule {
  /** The module with tokens signed by `jwtSecret` (HS256). */
  static forSecret(jwtSecret: string): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        JwtModule.register({
          secret: jwtSecret,
          signOptions: { algorithm: 'HS256', expiresIn: TOKEN_TTL_SECONDS },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      controllers: [AuthController],
      providers: [AuthService, JwtAuthGuard],
      exports: [JwtModule, JwtAuthGuard],
    };
  }
}
