import { createHash, createHmac } from 'node:crypto';
import { BENCH_SECRET, type BenchDelivery } from '../support/deliveries.js';
import type { BoundVerifier } from './competitors.js';

/**
 * The floor, exactly as the issue words it: SHA-256 of the raw body for the Digest, one HMAC of
 * the signing string compared with `===`, and JSON.parse. No Authorization parsing (the signature
 * is handed over), no Date check, no constant-time compare: the work nobody can skip.
 */
export function floorVerifier(delivery: BenchDelivery): BoundVerifier {
  const { rawBody: body, headers, signature, url } = delivery;
  const secret = BENCH_SECRET;
  return () => {
    const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
    if (digest !== headers.digest) throw new Error('floor: digest mismatch');
    const signingString = `(request-target): post ${url}\ndate: ${headers.date}\ndigest: ${headers.digest}`;
    if (createHmac('sha256', secret).update(signingString).digest('base64') !== signature) {
      throw new Error('floor: bad signature');
    }
    return JSON.parse(body.toString('utf8')) as unknown;
  };
}
