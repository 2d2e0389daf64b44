import { cpus, loadavg, totalmem } from 'node:os';

/** Where and when the figures were taken: they only compare within one run on one machine. */
export interface RunEnvironment {
  /** `process.version`. */
  node: string;
  /** CPU model as the OS reports it. */
  cpu: string;
  /** Logical CPUs. */
  cores: number;
  /** Memory in GiB. */
  memoryGiB: number;
  /** ISO date and time of the start of the run. */
  date: string;
  /** 1-minute load average at the start (a busy machine makes every figure noisier). */
  loadAtStart: number;
  /** `process.platform`-`process.arch`. */
  platform: string;
}

/** Reads the machine's description once, at the start of the run. */
export function describeEnvironment(): RunEnvironment {
  const list = cpus();
  return {
    node: process.version,
    cpu: list[0]?.model?.trim() || 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
    loadAtStart: Math.round(loadavg()[0] * 100) / 100,
    platform: `${process.platform}-${process.arch}`,
  };
}
