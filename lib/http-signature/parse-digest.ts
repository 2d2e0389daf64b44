import { isCanonicalSignature } from './canonical-signature.js';
import { FlowVerificationError } from './flow-verification.error.js';
import { trimHttpWhitespace } from './media-type.js';

const PREFIX = 'SHA-256=';
const PREFIX_LENGTH = PREFIX.length;

/**
 * The canonical base64 of the 32 bytes a `Digest` header announces (canonical, so equal strings
 * mean equal bytes). Only a single `SHA-256=` entry (algorithm name in any
 * case, RFC 3230) holding the canonical base64 of 32 bytes is accepted: no lists, no hex.
 * @throws FlowVerificationError `unsupported_digest_algorithm` or `malformed_digest`.
 */
export function parseFlowDigest(value: string): string {
  // Cognito's own spelling, read without case folding. Anything else, a list included (its
  // remainder is not 44 base64 digits), takes the path below and gets its precise refusal.
  if (value.startsWith(PREFIX)) {
    const encoded = value.slice(PREFIX_LENGTH);
    if (isCanonicalSignature(encoded)) return encoded;
  }
  if (value.indexOf(',') !== -1) {
    const entries = value.split(',');
    const other = entries.some(
      (entry) => trimHttpWhitespace(entry).slice(0, PREFIX_LENGTH).toLowerCase() !== 'sha-256=',
    );
    if (other) {
      throw new FlowVerificationError(
        'unsupported_digest_algorithm',
        'Digest lists an algorithm other than SHA-256.',
      );
    }
    throw new FlowVerificationError(
      'malformed_digest',
      'Digest must hold exactly one SHA-256 entry.',
    );
  }
  const equals = value.indexOf('=');
  if (equals === -1)
    throw new FlowVerificationError('malformed_digest', 'Digest is not algorithm=value.');
  if (equals !== PREFIX_LENGTH - 1 || value.slice(0, equals).toLowerCase() !== 'sha-256') {
    throw new FlowVerificationError(
      'unsupported_digest_algorithm',
      'Digest algorithm is not SHA-256.',
    );
  }
  const encoded = value.slice(PREFIX_LENGTH);
  if (!isCanonicalSignature(encoded)) {
    throw new FlowVerificationError(
      'malformed_digest',
      'Digest value is not the canonical base64 of 32 bytes.',
    );
  }
  return encoded;
}
