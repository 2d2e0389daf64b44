/** A table name the store accepts: one or two plain identifiers (`flow_events`, `flow.flow_events`). */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** Default table of the marks. */
export const DEFAULT_FLOW_EVENT_TABLE = 'flow_events';

const ms = (param: string): string => `${param}::bigint * interval '1 millisecond'`;
/** The row is still owned by the claim of token $2, within its lease. */
const OWNED = `id = $1 AND state = 'claimed' AND token = $2 AND expires_at > now()`;

/**
 * Every statement of the store on `table`, written once. A row is `claimed` by `token` until
 * `expires_at` (its lease), `done` until `expires_at` (its time to live), or `free` (released,
 * kept for its failure count); `failures` counts failed attempts until `failures_until`.
 */
export function flowEventSql(table: string) {
  if (!TABLE_NAME.test(table)) {
    throw new TypeError(
      `PostgresFlowEventStore: table ${JSON.stringify(table)} is not a plain identifier; ` +
        'use letters, digits and _ (optionally schema.table).',
    );
  }
  const t = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
  const index = `"${table.split('.').pop()}_expires_at_idx"`;
  return {
    /** The table and its index (also in docs/events-and-stores.md, for migration tools). */
    create: [
      `CREATE TABLE IF NOT EXISTS ${t} (
  id text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('claimed', 'done', 'free')),
  token text,
  expires_at timestamptz NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  failures_until timestamptz
)`,
      `CREATE INDEX IF NOT EXISTS ${index} ON ${t} (expires_at)`,
    ],
    /** Takes a free, lapsed or absent row; otherwise reads what holds it (a retry covers a row committed meanwhile). */
    claim: `WITH taken AS (
  INSERT INTO ${t} AS e (id, state, token, expires_at) VALUES ($1, 'claimed', $2, now() + ${ms('$3')})
  ON CONFLICT (id) DO UPDATE SET state = 'claimed', token = excluded.token, expires_at = excluded.expires_at,
    failures = CASE WHEN e.failures_until > now() THEN e.failures ELSE 0 END
  WHERE e.state = 'free' OR e.expires_at <= now()
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM taken) AS claimed, e.state,
  ceil(extract(epoch FROM e.expires_at - now()) * 1000)::bigint AS left_ms
FROM (SELECT 1) AS one LEFT JOIN ${t} e ON e.id = $1`,
    renew: `UPDATE ${t} SET expires_at = now() + ${ms('$3')} WHERE ${OWNED}`,
    complete: `UPDATE ${t} SET state = 'done', token = NULL, expires_at = now() + ${ms('$3')},
  failures = 0, failures_until = NULL WHERE ${OWNED}`,
    release: `UPDATE ${t} SET state = 'free', token = NULL, expires_at = now() WHERE ${OWNED}`,
    recordFailure: `UPDATE ${t} SET failures = failures + 1, failures_until = now() + ${ms('$3')}
  WHERE ${OWNED} RETURNING failures`,
    markDone: `INSERT INTO ${t} AS e (id, state, expires_at) VALUES ($1, 'done', now() + ${ms('$2')})
ON CONFLICT (id) DO UPDATE SET state = 'done', token = NULL, expires_at = excluded.expires_at,
  failures = 0, failures_until = NULL
WHERE e.state = 'free' OR e.expires_at <= now()
RETURNING 1`,
    /** Transactional mode: creates or locks the id's row, waiting at most the lock timeout. */
    lock: `INSERT INTO ${t} AS e (id, state, expires_at) VALUES ($1, 'free', now())
ON CONFLICT (id) DO UPDATE SET state = e.state
RETURNING e.state, e.expires_at > now() AS live,
  ceil(extract(epoch FROM e.expires_at - now()) * 1000)::bigint AS left_ms`,
    /** Transactional mode: the done mark, inside the handlers' transaction. */
    markLocked: `UPDATE ${t} SET state = 'done', token = NULL, expires_at = now() + ${ms('$2')},
  failures = 0, failures_until = NULL WHERE id = $1`,
    /** Transactional mode: one more failed attempt, after the handlers' writes were undone. */
    failLocked: `UPDATE ${t} SET failures = CASE WHEN failures_until > now() THEN failures + 1 ELSE 1 END,
  failures_until = now() + ${ms('$2')} WHERE id = $1 RETURNING failures`,
    /** Deletes up to 1000 rows past their time to live that no transaction holds. */
    prune: `DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t}
  WHERE expires_at <= now() AND (failures_until IS NULL OR failures_until <= now())
  LIMIT 1000 FOR UPDATE SKIP LOCKED)`,
  };
}

/** The statements of one table. */
export type FlowEventSql = ReturnType<typeof flowEventSql>;
