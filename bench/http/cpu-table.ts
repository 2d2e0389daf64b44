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
