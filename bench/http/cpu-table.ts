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
 * The server's CPU time per request beside the req/s of every route of one platform, with the
 * rounds it comes from: the column to read on a shared machine (the load generator's own CPU does
 * not count in it).
 */
export function cpuTable(label: string, rows: CpuRow[]): string {
  const lines = [
    `Server CPU per request on ${label}: \`process.cpuUsage()\` of the server process (user + system) over each round's fixed number of requests, the load generated from the parent process. "Added" is the median over the rounds of the difference from the group's first route in the same round.`,
    '',
    '| route | req/s | server CPU per request | added | CPU per request, each round | server cores | load generator cores |',
    '|---|---:|---:|---:|---|---:|---:|',
  ];
  for (const { route, side, bare } of rows) {
    const added = bare
      ? median(side.perRoundCpu.map((cpu, round) => cpu - bare.perRoundCpu[round]))
      : Number.NaN;
    lines.push(
      `| ${route} | ${Math.round(side.rps).toLocaleString('en-US')} | ${micros(side.cpuPerRequest)} | ${bare ? micros(added) : '–'} | ${side.perRoundCpu.map((cpu) => cpu.toFixed(0)).join(' ')} | ${cores(side.serverBusy)} | ${cores(side.clientBusy)} |`,
    );
  }
  return lines.join('\n');
}

/** The receiver group of one platform and the in-process costs timed in the same server. */
export interface AccountingInput {
  bare: SideThroughput;
  noopGuard: SideThroughput;
  verified: SideThroughput;
  receiver: SideThroughput;
  verifyMicros: number;
  dispatchMicros: number;
}

/**
 * Where each µs above the bare POST goes, from this run: the HTTP differences (median per-round
 * differences of server CPU per request) split by what the same server process timed in process.
 */
export function accountingTable(label: string, input: AccountingInput): string {
  const { bare, noopGuard, verified, receiver, verifyMicros, dispatchMicros } = input;
  const over = (side: SideThroughput, base: SideThroughput) =>
    median(side.perRoundCpu.map((cpu, round) => cpu - base.perRoundCpu[round]));
  const pipeline = over(noopGuard, bare);
  const guardWork = over(verified, noopGuard);
  const receiverWork = over(receiver, verified);
  const rows: Array<[string, number, string]> = [
    ["Nest's guard pipeline", pipeline, 'bare POST behind a no-op guard − bare POST (HTTP)'],
    [
      'verification (SHA-256, HMAC, header parsing, `JSON.parse`)',
      verifyMicros,
      'the prepared verifier on the same delivery, in the server process',
    ],
    [
      'the guard around it on a live request: header access (`headersDistinct`), raw-body lookup, attaching the event, `@FlowEvent()`, and verification running colder than in a loop',
      guardWork - verifyMicros,
      'guarded − no-op guard (HTTP), less the verification',
    ],
    [
      'dispatcher, memory store and the trivial handler (claim, lease timer, handler, complete)',
      dispatchMicros,
      '`FlowEventDispatcher.dispatch` of new events, in the server process',
    ],
    [
      'the receiver route around it: `async` handler, `@Res({ passthrough: true })`, the answer',
      receiverWork - dispatchMicros,
      'receiver − guarded (HTTP), less the dispatch',
    ],
  ];
  const lines = [
    `Where the receiver's server CPU above the bare POST goes on ${label} (${micros(over(receiver, bare))} in all, this run):`,
    '',
    '| part | µs per request | measured as |',
    '|---|---:|---|',
    ...rows.map(([part, value, how]) => `| ${part} | ${micros(value)} | ${how} |`),
  ];
  return lines.join('\n');
}
