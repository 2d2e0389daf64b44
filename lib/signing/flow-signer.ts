import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { FLOW_OPTIONS } from '../flow.constants.js';
import {
  assertCustomerReference,
  customerReferenceProblem,
  customerReferenceText,
} from './customer-reference.js';
import { hmacSha256Key } from '../http-signature/hmac-key.js';
import type { FlowSignerKeys } from './flow-signer-keys.js';
import { matchesReferenceHmac, referenceHmac } from './reference-hmac.js';

/**
 * Signs customer references for `new Flow({ user: { customerReference, signature } })`:
 * `base64(HMAC-SHA256(apiSecret, customerReference))`. Sign only the authenticated user's own
 * stable id (a database id, never an e-mail or session id): Cognito allows one completed Flow per
 * reference, and whoever holds a signature can start Flow as that reference.
 */
@Injectable()
export class FlowSigner {
  // Key objects are made once: each call then hands Node a ready key instead of re-encoding text.
  readonly #signingKey: KeyObject;
  readonly #verifyingKeys: readonly KeyObject[];

  constructor(@Inject(FLOW_OPTIONS) options: FlowSignerKeys) {
    const keys = options.secrets.map(hmacSha256Key);
    this.#signingKey = keys[0];
    this.#verifyingKeys = keys;
  }

  /**
   * The signature of `customerReference` with the current secret. A safe integer (a numeric
   * database id, as Flow's snippet passes `currentUser.id`) is signed as its decimal string:
   * `sign(42)` equals `sign('42')`.
   * @throws InvalidCustomerReferenceError for a number that is not a safe integer, another
   *   non-string, an empty or over-long (over 1024 bytes) reference, or one containing a control
   *   character or a lone surrogate.
   */
  sign(customerReference: string | number): string {
    const reference = customerReferenceText(customerReference);
    assertCustomerReference(reference);
    return referenceHmac(this.#signingKey, reference).toString('base64');
  }

  /**
   * True when `signature` is the canonical signature of `customerReference` (a safe integer as its
   * decimal string) under the current or a previous secret. Constant time per secret; false, never a throw, for any malformed input.
   */
  verify(customerReference: string | number, signature: string): boolean {
    const reference = customerReferenceText(customerReference);
    if (customerReferenceProblem(reference)) return false;
    return matchesReferenceHmac(this.#verifyingKeys, reference as string, signature);
  }

  /** No key material in logs: the signer prints as a bare name. */
  toJSON(): string {
    return 'FlowSigner';
  }
}
