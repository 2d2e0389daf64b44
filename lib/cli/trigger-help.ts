/** `cognito-flow trigger --help`. */
export const TRIGGER_HELP = `Usage: cognito-flow trigger <event> [--status <s>] [--customer-reference <id>] [--url <emulator url>]

Makes a running Flow emulator send <event> about a real session, so your app's webhook handler
can read that session back with fetchSession(). The command opens the session through the
emulator's Cognito API (POST /flow_sessions?idempotent=true, signed with the API secret), reusing
the customer reference's current session while it can take the change, then drives it. The
emulator signs and sends the webhooks to its webhook URL and reports each answer.

Events:
  flow_session.status.updated  ends the session with --status (default success, after its steps)
  flow_session.step.updated    passes the session's current step
  flow_session.retried         retries the session (POST /flow_sessions/retry): the old one ends
                               canceled, a new one starts

The emulator's URL is --url or FLOW_API_BASE_URL: a loopback http: URL. The API key and template
come from the emulator. The secret is read from FLOW_API_SECRET or --secret-file <path> (the
sample's emulator runs on .flow-dev-secret), never from the command line.

Options:
  --status <s>                 success, failed, pending_review, expired or canceled
  --customer-reference <id>    whose session (default: a new reference, hence a new session)
  --url <url>                  the emulator, e.g. http://127.0.0.1:4010
  --secret-file <path>         read the API secret from this file instead of FLOW_API_SECRET
  -h, --help                   show this help

Exit status: 0 every webhook was answered 2xx; 1 the emulator refused or is unreachable, or a
webhook was answered otherwise or not sent; 2 bad arguments.

Example:
  cognito-flow trigger flow_session.status.updated --status success \\
    --customer-reference 3a409367-a417-4d46-9a92-3d7bc5dc4605 \\
    --url http://127.0.0.1:4010 --secret-file .flow-dev-secret`;
