import type { StormPlan } from '../plan.js';
import { notMeasured, ratioFigure, type Figure, type Target } from '../support/figures.js';
import { startBenchRedis } from '../http/redis-server.js';
import { assertEffectsOnce, startBenchPostgres, type BenchPostgres } from './storm-postgres.js';
import { startServer, type BenchServer } from '../http/servers.js';
import type { ServerSpec } from '../http/server-spec.js';
import { STORM_HANDLER_MS, STORM_ROUTES } from './storm-app.js';
import {
  RETRY_DELAY_MS,
  percentile,
  sendStorm,
  stormDeliveries,
  type StormDelivery,
  type StormOutcome,
} from './storm-load.js';

const SECTION = 'Retry storm';
const MiB = 2 ** 20;

/** A storm's figures, for the section's own table. */
export interface StormRow {
  scenario: string;
  deliveries: number;
  drainSeconds: number;
  rate: number;
  floorRate: number;
  p50: number;
  p99: number;
  peakRssMiB: number[];
  retried: string;
  exactlyOnce: string;
}

async function startAll(specs: ServerSpec[]): Promise<BenchServer[]> {
  const started = await Promise.allSettled(specs.map((spec) => startServer(spec)));
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(servers.map((server) => server.stop()));
    throw failed.reason;
  }
  return servers;
}

/**
 * Every expected id ran exactly once across the instances, and nothing else ran: the proof the
 * storm's duplicates and retries never ran a handler twice. Throws (fails the bench) otherwise.
 */
async function assertExactlyOnce(
  servers: BenchServer[],
  expected: Set<string>,
  label: string,
): Promise<void> {
  const total = new Map<string, number>();
  for (const server of servers) {
    const { counts } = await server.ask<{ counts: Array<[string, number]> }>({ type: 'runs' });
    for (const [id, runs] of counts) total.set(id, (total.get(id) ?? 0) + runs);
  }
  const twice = [...total].filter(([, runs]) => runs !== 1).map(([id]) => id);
  const missing = [...expected].filter((id) => !total.has(id));
  const stray = [...total.keys()].filter((id) => !expected.has(id));
  if (twice.length > 0 || missing.length > 0 || stray.length > 0) {
    throw new Error(
      `${label}: not exactly once: ${twice.length} ids ran more than once (${twice.slice(0, 3).join(', ')}), ` +
        `${missing.length} never ran (${missing.slice(0, 3).join(', ')}), ${stray.length} unexpected`,
    );
  }
}

function onlyOnce(deliveries: StormDelivery[]): number {
  return new Set(deliveries.map((delivery) => delivery.id)).size;
}

/**
 * One storm: the floor (the same load on the bare POST of the same instances), a warm-up, then
 * `unique` deliveries plus the duplicate share, as fast as the instances take them.
 */
async function storm(
  plan: StormPlan,
  servers: BenchServer[],
  run: string,
  scenario: string,
  postgres?: BenchPostgres,
): Promise<{ row: StormRow; outcome: StormOutcome }> {
  const urls = servers.map((server) => server.url);
  const duplicates = Math.round(plan.deliveries * plan.duplicateShare);
  const warmup = stormDeliveries(`${run}w`, plan.warmup, 0, STORM_ROUTES.receiver);
  const deliveries = stormDeliveries(run, plan.deliveries, duplicates, STORM_ROUTES.receiver);
  const floorLoad = stormDeliveries(`${run}f`, plan.deliveries + duplicates, 0, STORM_ROUTES.bare);
  await sendStorm(urls, STORM_ROUTES.bare, floorLoad.slice(0, plan.warmup), plan.connections);
  const floorBefore = await sendStorm(urls, STORM_ROUTES.bare, floorLoad, plan.connections);
  await sendStorm(urls, STORM_ROUTES.receiver, warmup, plan.connections);
  const outcome = await sendStorm(urls, STORM_ROUTES.receiver, deliveries, plan.connections);
  // Measured before and after the storm; the faster counts: the floor is the best the
  // instances did on this machine in this run, so a busy moment never flatters the ratio.
  const floorAfter = await sendStorm(urls, STORM_ROUTES.bare, floorLoad, plan.connections);
  const floorSeconds = Math.min(floorBefore.seconds, floorAfter.seconds);

  const expected = new Set([...warmup, ...deliveries].map((delivery) => delivery.id));
  await assertExactlyOnce(servers, expected, scenario);
  if (postgres) assertEffectsOnce(await postgres.effects(), expected, scenario);
  const processed = outcome.outcomes.processed ?? 0;
  if (processed !== onlyOnce(deliveries)) {
    throw new Error(
      `${scenario}: ${processed} deliveries answered processed for ${onlyOnce(deliveries)} distinct events`,
    );
  }
  const peaks = await Promise.all(
    servers.map((server) => server.ask<{ maxRssBytes: number }>({ type: 'peak' })),
  );
  const retried = Object.entries(outcome.retried)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  return {
    outcome,
    row: {
      scenario,
      deliveries: deliveries.length,
      drainSeconds: outcome.seconds,
      rate: deliveries.length / outcome.seconds,
      floorRate: floorLoad.length / floorSeconds,
      p50: percentile(outcome.latenciesMs, 50),
      p99: percentile(outcome.latenciesMs, 99),
      peakRssMiB: peaks.map((peak) => peak.maxRssBytes / MiB),
      retried:
        retried === ''
          ? 'none'
          : `${retried} (largest Retry-After asked ${outcome.maxRetryAfter} s)`,
      exactlyOnce: `yes: ${expected.size.toLocaleString('en-US')} ids, each run once${postgres ? ', one effect row each' : ''} (${(outcome.outcomes.duplicate ?? 0).toLocaleString('en-US')} answered duplicate)`,
    },
  };
}

function renderRows(rows: StormRow[], plan: StormPlan): string {
  const lines = [
    `${plan.deliveries.toLocaleString('en-US')} distinct deliveries of the documented event plus ${Math.round(plan.duplicateShare * 100)} % duplicates, shuffled, sent round-robin to the instances over ${plan.connections} keep-alive connections per instance, each next one as soon as an answer comes back. The handler awaits ${STORM_HANDLER_MS} ms. A 409 or 503 is sent again after ${RETRY_DELAY_MS} ms (to either instance). Latency is per request, retries included. The floor is the same load on a bare POST of the same instances (same raw-body JSON parsing), run before and after the storm; the faster of the two counts.`,
    '',
    '| scenario | deliveries | time to drain | deliveries/s | floor (bare POST) | p50 | p99 | peak RSS per instance | retried | exactly once |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.scenario} | ${row.deliveries.toLocaleString('en-US')} | ${row.drainSeconds.toFixed(2)} s | ${Math.round(row.rate).toLocaleString('en-US')} | ${Math.round(row.floorRate).toLocaleString('en-US')} req/s | ${row.p50.toFixed(1)} ms | ${row.p99.toFixed(1)} ms | ${row.peakRssMiB.map((mib) => `${mib.toFixed(0)} MiB`).join(', ')} | ${row.retried} | ${row.exactlyOnce} |`,
    );
  }
  return lines.join('\n');
}

/** Targets of the storm against its floor, set from measurements on the reference machine. */
export const STORM_TARGETS: Record<'redis' | 'memory' | 'postgres', Target> = {
  redis: { kind: 'min', value: 0.3 },
  postgres: { kind: 'min', value: 0.3 },
  memory: { kind: 'min', value: 0.5 },
};

/**
 * The retry storm after an outage: two sample-shaped instances (Express, global prefix) on one
 * Redis, two on one PostgreSQL (transactional), then one instance on the memory store; each must run every event exactly once (checked
 * in every mode: the section fails otherwise).
 */
export async function benchStorm(
  plan: StormPlan,
  details: Array<{ section: string; markdown: string }>,
  withRedis = true,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const rows: StormRow[] = [];
  const redis = withRedis
    ? await startBenchRedis()
    : { unavailable: 'not run (`--only storm-memory`)' };
  const redisFields = {
    section: SECTION,
    subject: 'storm drain rate, two instances on one Redis',
    baseline: 'the same load on the bare POST of the two instances',
    unit: 'req/s' as const,
    target: STORM_TARGETS.redis,
  };
  try {
    if ('unavailable' in redis) {
      if (withRedis) figures.push(notMeasured(redisFields, redis.unavailable));
    } else {
      const spec: ServerSpec = {
        app: 'storm',
        platform: 'express',
        store: 'redis',
        redisUrl: redis.url,
      };
      const servers = await startAll([spec, spec]);
      try {
        const { row } = await storm(plan, servers, 'r', 'two instances, Redis store');
        rows.push(row);
        figures.push(ratioFigure(redisFields, row.rate, row.floorRate));
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
    }
  } finally {
    if (!('unavailable' in redis)) await redis.stop();
  }
  figures.push(await postgresStorm(plan, rows));
  const [memory] = await startAll([{ app: 'storm', platform: 'express' }]);
  try {
    const { row } = await storm(plan, [memory], 'm', 'one instance, memory store');
    rows.push(row);
    figures.push(
      ratioFigure(
        {
          section: SECTION,
          subject: 'storm drain rate, one instance on the memory store',
          baseline: 'the same load on the bare POST of the instance',
          unit: 'req/s',
          target: STORM_TARGETS.memory,
        },
        row.rate,
        row.floorRate,
      ),
    );
  } finally {
    await memory.stop();
  }
  details.push({ section: SECTION, markdown: renderRows(rows, plan) });
  return figures;
}

/** Two instances on one PostgreSQL in transactional mode: each effect row commits with its done mark. */
async function postgresStorm(plan: StormPlan, rows: StormRow[]): Promise<Figure> {
  const fields = {
    section: SECTION,
    subject: 'storm drain rate, two instances on one PostgreSQL, transactional',
    baseline: 'the same load on the bare POST of the two instances',
    unit: 'req/s' as const,
    target: STORM_TARGETS.postgres,
  };
  const postgres = await startBenchPostgres();
  if ('unavailable' in postgres) return notMeasured(fields, postgres.unavailable);
  try {
    const spec: ServerSpec = {
      app: 'storm',
      platform: 'express',
      store: 'postgres',
      databaseUrl: postgres.url,
    };
    const servers = await startAll([spec, spec]);
    try {
      const scenario = 'two instances, PostgreSQL store, transactional';
      const { row } = await storm(plan, servers, 'p', scenario, postgres);
      rows.push(row);
      return ratioFigure(fields, row.rate, row.floorRate);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  } finally {
    await postgres.stop();
  }
}
