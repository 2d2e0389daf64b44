import { checkReceiverUrl } from '../delivery/loopback-url.js';
import { CliUsageError } from './cli-errors.js';

/**
 * Parses a receiver URL and refuses, before any network use, one whose host is not loopback
 * unless `allowRemote`: a validly signed delivery sent to the wrong receiver changes a real
 * user's verification status (a `success` event marks them verified).
 */
export function parseReceiverUrl(raw: string, allowRemote: boolean): URL {
  const { url, problem } = checkReceiverUrl(raw, allowRemote);
  if (problem === undefined) return url;
  if (problem === 'not_absolute') {
    throw new CliUsageError(
      'invalid_url',
      "<url> is not an absolute URL; use e.g. 'http://127.0.0.1:3000/webhook_receivers/flow'.",
    );
  }
  if (problem === 'not_http') {
    throw new CliUsageError('invalid_url', `<url> must be http: or https:, not ${url?.protocol}`);
  }
  if (problem === 'credentials') {
    throw new CliUsageError('invalid_url', '<url> must not contain a user name or password.');
  }
  throw new CliUsageError(
    'remote_url',
    `Refusing to send to ${url?.host}: it is not a loopback address (localhost, 127.0.0.0/8, ::1). ` +
      "A delivery signed with your API secret is as good as Cognito's own: sent to a receiver that " +
      'shares the secret, a success event marks a real user as verified. Nothing was sent. If this ' +
      'receiver is yours and runs with test keys, repeat the command with --allow-remote.',
  );
}
