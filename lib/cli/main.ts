#!/usr/bin/env node
import { processContext } from './cli-context.js';
import { runCli } from './run-cli.js';

// The entry of the `cognito-flow` bin. No top-level await: the status is set when the run settles.
runCli(process.argv.slice(2), processContext()).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // An unexpected error: its name and message only (never inspect() an object that may hold options).
    process.stderr.write(`cognito-flow: unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  },
);
