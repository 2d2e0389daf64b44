import { resolveFlowOptions } from '../config/resolve-flow-options.js';
import { FlowSigner } from '../signing/flow-signer.js';
import { signFlowWebhook } from '../http-signature/sign-flow-webhook.js';
import { fail, pass, type DoctorCheck } from './doctor-check.js';
import {
  KNOWN_CUSTOMER_REFERENCE,
  KNOWN_SECRET,
  KNOWN_SIGNATURE,
  KNOWN_WEBHOOK,
} from './known-answers.js';

const silent = { warn: () => undefined };
const REINSTALL = 'reinstall the package; report the version if it persists.';

/** This build's `FlowSigner` reproduces Cognito's documented signature (FLOW-PROTOCOL section 2). */
export function signingKnownAnswerCheck(): DoctorCheck {
  const name = 'signing known answer';
  // The same path the module takes: resolved options, then the signer. Production would refuse
  // this public secret, so the check runs as development, its live-key warning silenced.
  const signer = new FlowSigner(
    resolveFlowOptions({ apiSecret: KNOWN_SECRET }, {}, silent, 'development'),
  );
  return signer.sign(KNOWN_CUSTOMER_REFERENCE) === KNOWN_SIGNATURE
    ? pass(name, "this build reproduces the signature of Cognito's documented example.")
    : fail(
        name,
        "this build does not reproduce the signature of Cognito's documented example.",
        REINSTALL,
      );
}

/** The webhook signing `webhook send` uses reproduces Cognito's example delivery (section 3). */
export function webhookKnownAnswerCheck(): DoctorCheck {
  const name = 'webhook known answer';
  const headers = signFlowWebhook({
    secret: KNOWN_SECRET,
    apiKey: KNOWN_WEBHOOK.apiKey,
    method: 'POST',
    path: KNOWN_WEBHOOK.path,
    body: KNOWN_WEBHOOK.body,
    date: KNOWN_WEBHOOK.date,
  });
  const signature = /signature="([^"]*)"/.exec(headers.authorization)?.[1];
  return headers.digest === KNOWN_WEBHOOK.digest && signature === KNOWN_WEBHOOK.signature
    ? pass(name, "this build reproduces the Digest and signature of Cognito's example webhook.")
    : fail(
        name,
        "this build does not reproduce the Digest and signature of Cognito's example webhook.",
        REINSTALL,
      );
}
