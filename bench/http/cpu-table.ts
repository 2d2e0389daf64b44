import type { SideThroughput } from './load.js';

/** One route of a platform's CPU table. */
export interface CpuRow {
  route: string;
  side: SideThroughput;
  /** The route it is compared with (the first row of its group), for the µs it adds. */
  bare?: SideThroughput;
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const micros = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} µs` : '–');
const cores = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '–');

/**
 * Server CPU (or its user or system part) a route adds over another, per request: the median over
 * the rounds of the difference within each round (the two ran minutes apart at most, on the same
 * machine state).
 */
export function addedMicros(
  side: SideThroughput,
  base: SideThroughput,
  field: 'perRoundCpu' | 'perRoundUser' | 'perRoundSystem' = 'perRoundCpu',
): number {
  return median(side[field].map((value, round) => value - base[field][round]));
}

/**
 * The server's CPU time per request beside the req/s of every route of one platform, with the
 * rounds it comes from, split into user time (the process's code) and system time (the kernel's
 * socket work): the columns to read on a shared machine (the load generator's own CPU does not
 * count in them).
 */
export function cpuTable(label: string, rows: CpuRow[]): string {
  const lines = [
    `Server CPU per request on ${label}: \`process.cpuUsage()\` of the server process over each round's fixed number of requests, the load generated from the parent process; user time is the process's own code, system time the kernel's (socket reads and writes). "Added" is the median over the rounds of the difference from the group's first route in the same round.`,
    '',
    '| route | req/s | server CPU per request | user | system | added | added user | added system | CPU per request, each round | server cores | load generator cores |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const { route, side, bare } of rows) {
    const perRequest = (field: 'perRoundUser' | 'perRoundSystem') =>
      side[field].reduce((sum, value) => sum + value, 0) / side[field].length;
    const added = (field?: 'perRoundUser' | 'perRoundSystem') =>
      bare ? micros(addedMicros(side, bare, field)) : '–';
    lines.push(
      `| ${route} | ${Math.round(side.rps).toLocaleString('en-US')} | ${micros(side.cpuPerRequest)} | ${micros(perRequest('perRoundUser'))} | ${micros(perRequest('perRoundSystem'))} | ${added()} | ${added('perRoundUser')} | ${added('perRoundSystem')} | ${side.perRoundCpu.map((cpu) => cpu.toFixed(0)).join(' ')} | ${cores(side.serverBusy)} | ${cores(side.clientBusy)} |`,
    );
  }
  return lines.join('\n');
}

/** The receiver group of one platform (a ladder of routes) and the costs timed in the same server. */
export interface AccountingInput {
  bare: SideThroughput;
  noopGuard: SideThroughput;
  headersRead: SideThroughput;
  verifyConst: SideThroughput;
  verifyOnly: SideThroughput;
  verified: SideThroughput;
  receiver: SideThroughput;
  verifyMicros: number;
  verifyL2Micros: number;
  verifyColdMicros: number;
  dispatchMicros: number;
}

/**
 * Where each µs above the bare POST goes, from this run: each step of the ladder is a route that
 * adds one part to the one before it, so each part is measured over HTTP (median per-round
 * difference of server CPU per request, with its user and system shares), beside what the same
 * server process timed in process.
 */
export function accountingTable(label: string, input: AccountingInput): string {
  const { bare, noopGuard, headersRead, verifyConst, verifyOnly, verified, receiver } = input;
  const rows: Array<[string, SideThroughput, SideThroughput, string, string]> = [
    ["Nest's guard pipeline", noopGuard, bare, 'no-op guard − bare POST', ''],
    [
      'reading the request as the guard does (headers, repeated headers from `rawHeaders`, raw body)',
      headersRead,
      noopGuard,
      'a guard that only reads them − no-op guard',
      '',
    ],
    [
      'verification inside the live server, of one constant delivery (SHA-256, HMAC, parsing, `JSON.parse`)',
      verifyConst,
      headersRead,
      'a guard verifying a fixed delivery − the reading guard',
      `in process: ${micros(input.verifyMicros)} in a hot loop, ${micros(input.verifyL2Micros)} after 4 MiB of other memory (past L2), ${micros(input.verifyColdMicros)} after 32 MiB (past L3)`,
    ],
    [
      "the request's own bytes instead (new strings and buffers, a first `JSON.parse` of new text), the event attached, `@VerifiedFlowEvent()`",
      verifyOnly,
      verifyConst,
      'a guard verifying the request − the fixed-delivery guard',
      '',
    ],
    [
      "`FlowWebhookGuard`'s own work on a host route: the replay check (one `markDone` in the memory store), its promise, its hooks",
      verified,
      verifyOnly,
      '`FlowWebhookGuard` − the verifying guard',
      '',
    ],
    [
      'the built-in receiver instead (no replay check; the dispatcher: claim, handler, complete; `async` route with `@Res({ passthrough: true })`)',
      receiver,
      verifyOnly,
      'receiver − the verifying guard',
      `in process: \`FlowEventDispatcher.dispatch\` ${micros(input.dispatchMicros)}`,
    ],
  ];
  const lines = [
    `Where the server CPU above the bare POST goes on ${label} (this run: ${micros(addedMicros(verified, bare))} for \`FlowWebhookGuard\`, ${micros(addedMicros(receiver, bare))} for the receiver):`,
    '',
    '| part | µs per request | user | system | measured as | beside it |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map(
      ([part, side, base, how, beside]) =>
        `| ${part} | ${micros(addedMicros(side, base))} | ${micros(addedMicros(side, base, 'perRoundUser'))} | ${micros(addedMicros(side, base, 'perRoundSystem'))} | ${how} | ${beside || '–'} |`,
    ),
  ];
  return lines.join('\n');
}
