import { randomBytes } from 'node:crypto';

/** A well-formed sandbox secret made fresh for each test run: never committed, never real. */
export function generateSecret(environment = 'sandbox'): string {
  return `${environment}_secret_${randomBytes(32).toString('hex')}`;
}
