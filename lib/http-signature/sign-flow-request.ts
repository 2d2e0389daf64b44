import { createHmac, type KeyObject } from 'node:crypto';
import { hmacSha256Key } from './hmac-key.js';
import {
  FLOW_SIGNED_HEADERS,
  buildFlowSigningString,
  flowDigest,
  flowRequestTarget,
} from './signing-string.js';

/** One request to sign: what the signature covers. */
export interface FlowRequestToSign {
  /** HTTP method as it will be sent (`POST`, `GET`); signed lower-cased. */
  method: string;
  /** Path and query exactly as the request will send them (`/flow_sessions?idempotent=true`). */
  path: string;
  /** The raw body bytes (a string is signed as UTF-8). A request without a body signs `''`. */
  body: Buffer | string;
  /** The `Date` header: a Date (formatted as an IMF-fixdate) or a string used verbatim. Default: now. */
  date?: Date | string;
}

/** The three headers that carry a draft-cavage signature, lower-case as Node receives them. */
export interface FlowSignatureHeaders {
  /** IMF-fixdate, e.g. `Sat, 23 Jan 2021 21:43:14 GMT`. */
  date: string;
  /** `SHA-256=` + base64 of the body's SHA-256. */
  digest: string;
  /** `Signature keyId="…",algorithm="hmac-sha256",headers="(request-target) date digest",signature="…"`. */
  authorization: string;
  /** Headers as a plain record, ready for `fetch`. */
  [header: string]: string;
}

/** Who signs: the API secret (its literal UTF-8 bytes are the key) and the key id announced. */
export interface FlowRequestSignerOptions {
  /** The API secret. */
  secret: string;
  /** The `keyId` parameter: the API key (`live_key_…`). */
  keyId: string;
}

/** Signs requests with one prepared key; see {@link createFlowRequestSigner}. */
export type FlowRequestSigner = (request: FlowRequestToSign) => FlowSignatureHeaders;

/**
 * Prepares a signer of Cognito's scheme (webhooks one way, API requests the other): the key
 * object is made once, so each request costs one SHA-256 of its body and one HMAC.
 * @throws TypeError for an empty secret or key id, a path not starting with `/`, or an invalid Date.
 */
export function createFlowRequestSigner(options: FlowRequestSignerOptions): FlowRequestSigner {
  const { secret, keyId } = options;
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('The signing secret must be a non-empty string.');
  }
  // A quote or a control character would break out of the quoted keyId parameter.
  if (typeof keyId !== 'string' || !/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/.test(keyId)) {
    throw new TypeError('The keyId must be non-empty printable ASCII without quotes.');
  }
  const key: KeyObject = hmacSha256Key(secret);
  const prefix = `Signature keyId="${keyId}",algorithm="hmac-sha256",headers="${FLOW_SIGNED_HEADERS}",signature="`;
  return function signFlowRequestPrepared(request) {
    const { method, path } = request;
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) {
      throw new TypeError('The method must be an HTTP method name, e.g. POST.');
    }
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TypeError("The path must start with '/', e.g. '/webhook_receivers/flow'.");
    }
    if (request.date instanceof Date && Number.isNaN(request.date.getTime())) {
      throw new TypeError('The date is an invalid Date; pass a valid Date or the header text.');
    }
    const date =
      typeof request.date === 'string' ? request.date : (request.date ?? new Date()).toUTCString();
    const digest = flowDigest(request.body);
    const signature = createHmac('sha256', key)
      .update(
        buildFlowSigningString({ requestTarget: flowRequestTarget(method, path), date, digest }),
      )
      .digest('base64');
    return { date, digest, authorization: `${prefix}${signature}"` };
  };
}

/**
 * Signs one request. For many requests with the same secret, prepare a signer once with
 * {@link createFlowRequestSigner}.
 */
export function signFlowRequest(
  options: FlowRequestSignerOptions & FlowRequestToSign,
): FlowSignatureHeaders {
  return createFlowRequestSigner(options)(options);
}
