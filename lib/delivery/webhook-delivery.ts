import { performance } from 'node:perf_hooks';
import { signFlowWebhook } from '../http-signature/sign-flow-webhook.js';
import { escapeTerminalText } from './escape-terminal.js';
import { loopbackAddresses } from './loopback-url.js';
import { AnswerTooLargeError, readCappedText } from './read-capped-text.js';

/** Largest receiver answer read, in bytes after decompression: only its start is ever shown. */
export const MAX_DELIVERY_ANSWER_BYTES = 64 * 1024;

/** One signed delivery, ready to send. */
export interface SignedDelivery {
  url: URL;
  body: string;
  headers: Record<string, string>;
}

/** How a delivery went. */
export interface DeliveryOutcome {
  /** The HTTP status, or undefined when no response came (refused connection, timeout). */
  status?: number;
  statusText?: string;
  /** The start of the response body, on one line, for non-2xx answers. */
  excerpt?: string;
  /**
   * The receiver's `outcome` for a 2xx whose JSON body has one (`processed`, `duplicate`…), as
   * FlowModule's receiver answers; undefined for any other body.
   */
  receiverOutcome?: string;
  /** Why no response came, or (beside a status) why its body was not read to the end. */
  error?: string;
  /** Milliseconds from sending to the end of the response body. */
  ms: number;
}

/**
 * Signs a delivery as Cognito does: the `(request-target)` is the path and query exactly as
 * `fetch` sends them, and the body is signed as the very string sent.
 */
export function signDelivery(
  url: URL,
  body: string,
  secret: string,
  apiKey: string | undefined,
  date: string | undefined,
): SignedDelivery {
  const signed = signFlowWebhook({
    secret,
    apiKey,
    method: 'POST',
    path: `${url.pathname}${url.search}`,
    body,
    date,
  });
  return { url, body, headers: signed };
}

/** The start of a receiver's text on one line, every terminal control escaped. */
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[ \t\r\n]+/g, ' ').trim();
  return escapeTerminalText(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

// An outcome is a lower-case word; anything else in the body is left unshown.
const OUTCOME_WORD = /^[a-z][a-z_]{0,39}$/;

/** The `outcome` word of a receiver's 2xx JSON body (`{"outcome":"processed"}`), if any. */
function receiverOutcome(text: string): string | undefined {
  try {
    const outcome = (JSON.parse(text) as { outcome?: unknown } | null)?.outcome;
    return typeof outcome === 'string' && OUTCOME_WORD.test(outcome) ? outcome : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends a delivery with `fetch` and never follows a redirect: a 3xx would carry the signed
 * delivery to another host, so it is reported as a non-2xx answer instead. `localhost` is tried
 * as 127.0.0.1 then [::1] (the next only when the first refuses the connection), never resolved.
 */
export async function sendDelivery(
  delivery: SignedDelivery,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  let outcome: DeliveryOutcome = { ms: 0 };
  for (const address of loopbackAddresses(delivery.url)) {
    outcome = await sendTo(address, delivery, timeoutMs);
    if (outcome.error !== 'ECONNREFUSED') break;
  }
  return outcome;
}

async function sendTo(
  url: URL,
  delivery: SignedDelivery,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answered = {
      status: response.status,
      statusText: escapeTerminalText(response.statusText),
    };
    let text: string;
    try {
      text = await readCappedText(response, MAX_DELIVERY_ANSWER_BYTES);
    } catch (error) {
      // The receiver answered: its status stands, only its oversized body is left unread.
      if (!(error instanceof AnswerTooLargeError)) throw error;
      return { ...answered, error: error.message, ms: performance.now() - started };
    }
    const ms = performance.now() - started;
    const ok = response.status >= 200 && response.status < 300;
    return ok
      ? { ...answered, receiverOutcome: receiverOutcome(text), ms }
      : { ...answered, excerpt: oneLine(text), ms };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return {
      error:
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs / 1000} s`
          : escapeTerminalText(String(reason)),
      ms: performance.now() - started,
    };
  }
}
