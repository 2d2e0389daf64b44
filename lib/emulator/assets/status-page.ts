import type { FlowEmulatorSession } from '../emulator-sessions.js';
import type { FlowEmulatorDelivery } from '../webhook-deliveries.js';
import { escapeHtml as e } from './html-escape.js';

/**
 * What the status page shows: no secret, only public keys, the run's control token (other sites
 * cannot read this page: no CORS, no framing, Host checked), sessions and deliveries.
 */
export interface StatusPageState {
  scriptUrl: string;
  apiBaseUrl: string;
  webhookUrl?: string;
  /** The API key (a key id, `…_key_…`): the keyId of the API's and the webhooks' signatures. */
  apiKey: string;
  publishableKey: string;
  templateId: string;
  /** The run's control token, for clients the emulator does not otherwise trust. */
  controlToken: string;
  sessions: FlowEmulatorSession[];
  deliveries: FlowEmulatorDelivery[];
}

function attempts(delivery: FlowEmulatorDelivery): string {
  return delivery.attempts
    .map((a) => `${e(a.at)} → ${a.status === undefined ? e(a.detail ?? 'no answer') : a.status}`)
    .join('<br>');
}

/** The emulator's `/` page: its URLs, every session and every webhook delivery with its answers. */
export function statusPage(state: StatusPageState): string {
  const sessions = state.sessions
    .map(
      (s) =>
        `<tr><td><a href="${e(s.shareable_url ?? '')}">${e(s.id)}</a></td><td>${e(s.customer_reference)}</td>` +
        `<td>${e(s.status)}</td><td>${Object.entries(s.steps)
          .filter(([, state]) => state !== 'not_applicable')
          .map(([name, state]) => `${e(name)}: ${e(state)}`)
          .join('<br>')}</td>` +
        `<td>${e(s.created_at)}</td></tr>`,
    )
    .join('');
  const deliveries = state.deliveries
    .map(
      (d) =>
        `<tr><td>${e(d.eventId)}</td><td>${e(d.event)}</td><td>${e(d.step ?? '')}</td><td>${e(d.status)}</td>` +
        `<td>${e(d.customerReference)}</td><td>${e(d.state)}</td><td>${attempts(d)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Flow emulator</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#0f172a}table{border-collapse:collapse;margin-bottom:24px}td,th{border:1px solid #cbd5e1;padding:4px 8px;text-align:left;vertical-align:top}code{background:#f1f5f9;padding:1px 4px}</style>
</head><body>
<h1>Flow emulator</h1>
<p>A local stand-in of Cognito Flow: no documents are checked and no identity data is collected.</p>
<ul>
<li>Script: <code>${e(state.scriptUrl)}</code></li>
<li>API base URL: <code>${e(state.apiBaseUrl)}</code></li>
<li>Webhooks to: <code>${e(state.webhookUrl ?? 'none (set a webhook URL)')}</code></li>
<li>API key: <code>${e(state.apiKey)}</code> (its secret is never shown here)</li>
<li>Publishable key: <code>${e(state.publishableKey)}</code>, template: <code>${e(state.templateId)}</code></li>
<li>Control token (header <code>x-flow-emulator-token</code>, for clients of other origins): <code id="control-token">${e(state.controlToken)}</code></li>
</ul>
<h2>Sessions</h2>
<table><thead><tr><th>Session</th><th>Customer reference</th><th>Status</th><th>Steps</th><th>Created</th></tr></thead>
<tbody>${sessions || '<tr><td colspan="5">No session yet.</td></tr>'}</tbody></table>
<h2>Webhook deliveries</h2>
<table><thead><tr><th>Event id</th><th>Event</th><th>Step</th><th>Status</th><th>Customer reference</th><th>State</th><th>Attempts (answer)</th></tr></thead>
<tbody>${deliveries || '<tr><td colspan="7">No delivery yet.</td></tr>'}</tbody></table>
</body></html>
`;
}
