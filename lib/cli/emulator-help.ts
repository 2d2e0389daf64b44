/** `cognito-flow emulator --help`. */
export const EMULATOR_HELP = `Usage: cognito-flow emulator [options]
       cognito-flow emulator end <flwses_…> <status> [--url <emulator url>]

Starts a local stand-in of Cognito Flow on 127.0.0.1: a drop-in flow.js with an emulated session
dialog, signed webhooks to --webhook-url (retried on non-2xx answers), the flow_sessions API subset
and a status page. It is not Cognito: no document is checked and no identity data is collected.

Keys come from FLOW_API_SECRET (or --secret-file), FLOW_API_KEY, FLOW_PUBLISHABLE_KEY and
FLOW_TEMPLATE_ID; each one missing is generated for this run and printed, so your app can use it.
A secret you provide is never printed. Stop it with Ctrl+C.

It answers only Host localhost, 127.0.0.1 or [::1] with its port. Its /emulator/* routes answer
clients that are not browsers, its own pages, pages of the app behind a loopback --webhook-url or
of --allowed-origins, and any client sending the printed control token in the
x-flow-emulator-token header. It refuses to start under NODE_ENV=production (or prod) or with
live_ keys unless --allow-production.

'emulator end' ends a session of a running emulator with success, failed, pending_review, expired
or canceled, sending its webhooks ('emulator end --help').

Options:
  --port <n>                port to listen on; default a free one
  --webhook-url <url>       where to send webhooks, e.g. http://127.0.0.1:3000/webhook_receivers/flow
  --allow-remote            allow a --webhook-url whose host is not loopback
  --allow-production        start even under NODE_ENV=production (or prod) or with live_ keys
  --allowed-origins <list>  comma-separated page origins that may use flow.js (the dashboard's
                            domain allow-list), e.g. http://localhost:5173
  --secret-file <path>      read the API secret from this file instead of FLOW_API_SECRET
  --env-file <path>         read settings from this file instead of ./.env; --no-env-file: none
  -h, --help                show this help

Exit status: 0 stopped by a signal; 1 it could not start (port in use, bad FLOW_* value);
2 bad arguments or a refused --webhook-url.`;
