import { createHash, randomBytes } from 'node:crypto';
import httpSignature from 'http-signature';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { BENCH_SECRET, type BenchDelivery } from '../support/deliveries.js';

/** A verifier under test: takes nothing (its input is bound), returns the parsed event. */
export type BoundVerifier = () => unknown;

/**
 * http-signature, the reference draft-cavage implementation: `parseRequest` (Authorization
 * parsing, signing string, clock check) and `verifyHMAC`, plus the Digest check it does not do
 * itself and the JSON.parse every verifier that returns the event does.
 */
export function httpSignatureVerifier(delivery: BenchDelivery): BoundVerifier {
  const request = {
    method: delivery.method,
    url: delivery.url,
    httpVersion: '1.1',
    headers: delivery.headers as Record<string, string>,
  };
  // The documented delivery is dated 2021: widen the clock window rather than re-sign it.
  const options = {
    headers: ['(request-target)', 'date', 'digest'],
    clockSkew: 20 * 365 * 24 * 3600,
  };
  return () => {
    const parsed = httpSignature.parseRequest(request, { ...options });
    if (!httpSignature.verifyHMAC(parsed, BENCH_SECRET))
      throw new Error('http-signature: bad signature');
    const digest = `SHA-256=${createHash('sha256').update(delivery.rawBody).digest('base64')}`;
    if (digest !== request.headers.digest) throw new Error('http-signature: digest mismatch');
    return JSON.parse(delivery.rawBody.toString('utf8')) as unknown;
  };
}

/**
 * Stripe's `webhooks.constructEvent`: one HMAC over `timestamp.payload` (the body is inside the
 * MAC, so there is no separate digest), then JSON.parse. Header from `generateTestHeaderString`.
 */
export function stripeVerifier(delivery: BenchDelivery): BoundVerifier {
  const stripe = new Stripe('sk_test_benchmark_not_a_key');
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const payload = delivery.rawBody;
  const header = stripe.webhooks.generateTestHeaderString({
    payload: payload.toString('utf8'),
    secret,
  });
  return () => stripe.webhooks.constructEvent(payload, header, secret);
}

/**
 * standardwebhooks' `Webhook.verify`: HMAC over `id.timestamp.payload` (a pure-JS SHA-256), a
 * timestamp window, then JSON.parse. The instance (decoded key) is made once, as its docs show.
 */
export function standardWebhooksVerifier(delivery: BenchDelivery): BoundVerifier {
  const webhook = new Webhook(randomBytes(32).toString('base64'));
  const id = 'msg_benchmark';
  const timestamp = new Date();
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': webhook.sign(id, timestamp, delivery.rawBody),
  };
  return () => webhook.verify(delivery.rawBody, headers);
}
