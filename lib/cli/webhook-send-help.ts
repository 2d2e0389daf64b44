/** `cognito-flow webhook send --help`. */
export const WEBHOOK_SEND_HELP = `Usage: cognito-flow webhook send <url> --event <name> --customer-reference <id> [options]

Builds a Flow webhook delivery, signs it exactly as Cognito does (Digest of the raw body, HMAC-SHA256
over "(request-target) date digest" with the API secret) and POSTs it to <url>. Prints one line per
delivery with the status and the time taken, and for a 2xx from FlowModule's receiver its outcome:
processed, or duplicate when the event id was already processed.

The secret is read from FLOW_API_SECRET or --secret-file <path>, never from the command line.
<url> must be a loopback address (localhost, 127.0.0.0/8, [::1]) unless --allow-remote is given:
a validly signed success event sent to the wrong receiver marks a real user as verified.
Redirects are never followed.

Options:
  --event <name>               flow_session.status.updated, flow_session.step.updated or
                               flow_session.retried (other names are sent with a warning)
  --customer-reference <id>    the user's customer reference (data.customer_reference)
  --status <s>                 data.status; default success for status events, active otherwise
  --step <name>                data.step; default kyc_check for step events, null otherwise
  --repeat <n>                 send n deliveries, one after the other, each with a fresh event id
  --event-id <id>              use this event id for every delivery (to test redelivery)
  --session-id <flwses_…>      data.id: a session your app can read back with fetchSession();
                               default a new id that no API knows (see 'cognito-flow trigger')
  --date <http-date>           the Date header, e.g. 'Sat, 23 Jan 2021 21:43:14 GMT'; default now
  --environment <env>          payload environment; default live for a live secret, else sandbox
  --api-key <id>               the keyId to sign with; default FLOW_API_KEY
  --secret-file <path>         read the API secret from this file instead of FLOW_API_SECRET
  --timeout <seconds>          how long to wait for each answer; default 10
  --allow-remote               allow a <url> whose host is not loopback
  --env-file <path>            read settings from this file instead of ./.env; --no-env-file: none
  -h, --help                   show this help

Exit status: 0 every delivery answered 2xx; 1 a delivery was answered otherwise or not at all, or
no usable secret; 2 bad arguments or a refused <url> (nothing is sent).

Example:
  cognito-flow webhook send http://127.0.0.1:3000/webhook_receivers/flow \\
    --event flow_session.status.updated --customer-reference 3a409367-a417-4d46-9a92-3d7bc5dc4605 \\
    --status success --secret-file .flow-dev-secret`;
