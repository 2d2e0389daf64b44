import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DEMO_USERS, type DemoUser } from './demo-users.js';

/** What the sample puts in a login token: the user's id as `sub`. */
export interface SampleTokenPayload {
  /** The user's id (their Flow customer reference). */
  sub: string;
  /** The login name, for display. */
  username: string;
}

/** Lifetime of a login token. */
export const TOKEN_TTL_SECONDS = 60 * 60;

// Hashing both sides first gives equal-length buffers, so timingSafeEqual can compare any input.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// Compared against when the user name is unknown, so both paths do the same work.
const NO_USER_PASSWORD = digest('no such user');

/** Checks demo credentials and issues login tokens. */
@Injectable()
export class AuthService {
  constructor(private readonly jwt: JwtService) {}

  /**
   * The user whose credentials these are, or undefined. Every password comparison runs in
   * constant time and an unknown name costs the same as a wrong password.
   */
  verifyCredentials(username: unknown, password: unknown): DemoUser | undefined {
    if (typeof username !== 'string' || typeof password !== 'string') return undefined;
    const user = DEMO_USERS.find((candidate) => candidate.username === username);
    const expected = user ? digest(user.password) : NO_USER_PASSWORD;
    const matches = timingSafeEqual(digest(password), expected);
    return user && matches ? user : undefined;
  }

  /** A signed bearer token for `user`. */
  issueToken(user: DemoUser): Promise<string> {
    const payload: SampleTokenPayload = { sub: user.id, username: user.username };
    return this.jwt.signAsync(payload);
  }
}
