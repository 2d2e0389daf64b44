import { customerReferenceProblem } from '../signing/customer-reference.js';
import { FlowSigner } from '../signing/flow-signer.js';
import type { CliCommand } from './cli-context.js';
import { CliUsageError, EXIT_OK } from './cli-errors.js';
import { cliMessage, loadCliSecret, resolveCliFlowOptions } from './cli-flow-options.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';

/** The `sign` command's options. */
export const SIGN_SPEC: CliCommandSpec = {
  name: 'sign',
  options: { 'secret-file': { type: 'string' } },
  positionals: ['customerReference'],
};

/** `cognito-flow sign --help`. */
export const SIGN_HELP = `Usage: cognito-flow sign <customerReference> [--secret-file <path>]

Prints the signature of a customer reference, base64(HMAC-SHA256(secret, reference)): the value
the browser passes to new Flow({ user: { customerReference, signature } }).

The secret is read from FLOW_API_SECRET, or from --secret-file <path> (one trailing newline is
removed). It is never accepted on the command line, where it would land in shell history and the
process list. The other FLOW_* variables are validated as FlowModule validates them.

Options:
  --secret-file <path>  read the API secret from this file instead of FLOW_API_SECRET
  --env-file <path>     read settings from this file instead of ./.env; --no-env-file: none
  -h, --help            show this help

Exit status: 0 signed; 1 no usable secret or configuration; 2 bad arguments or a reference the
signer refuses (empty, over 1024 bytes, or containing a control character such as a newline).

Example:
  FLOW_API_SECRET=... cognito-flow sign 3a409367-a417-4d46-9a92-3d7bc5dc4605`;

/** `cognito-flow sign <customerReference>`: prints the reference's signature on standard output. */
export const signCommand: CliCommand = (args, context) => {
  const parsed = parseCommandLine(args, SIGN_SPEC);
  if (parsed.help) {
    context.out(SIGN_HELP);
    return EXIT_OK;
  }
  const [customerReference] = parsed.positionals;
  // Checked before the secret is loaded: a bad argument is a usage error whatever the environment.
  const problem = customerReferenceProblem(customerReference);
  if (problem) throw new CliUsageError(`reference_${problem.reason}`, cliMessage(problem));

  const secret = loadCliSecret(context.env, stringOption(parsed, 'secret-file'));
  const options = resolveCliFlowOptions(context.env, secret, (message) =>
    context.err(`warning: ${message}`),
  );
  context.out(new FlowSigner(options).sign(customerReference));
  return EXIT_OK;
};
