#!/usr/bin/env node
import { processContext } from './cli-context.js';
import { runCli } from './run-cli.js';

// A reader that went away (`cognito-flow webhook send … --repeat 1000 | head -1`) ends the run
// quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 1);
  });
}

// The entry of the `cognito-flow` bin. No top-level await: the status is set when the run settles.
runCli(process.argv.slice(2), processContext()).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // An unexpected error: its name and message only (never inspect() an object that may hold options).
    process.stderr.write(
      `cognito-flow: unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
