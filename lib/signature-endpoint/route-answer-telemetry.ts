import { HttpException } from '@nestjs/common';
import type { FlowTelemetry } from '../telemetry/flow-telemetry.js';

/** The status a refusal went out with: an HttpException's, or none (a 500 from Nest's filter). */
function statusOf(error: unknown): number | undefined {
  return error instanceof HttpException ? error.getStatus() : undefined;
}

/**
 * Counts the route's answer once `answer` settles, by status class (200 when it resolves); the
 * answer itself is passed on untouched. Refusals by the host's guards come before the handler and
 * are not counted here.
 */
export function countRouteAnswer<T>(
  telemetry: FlowTelemetry | undefined,
  route: 'signature' | 'hosted_session',
  answer: Promise<T>,
): Promise<T> {
  if (telemetry === undefined || !telemetry.enabled) return answer;
  return answer.then(
    (value) => {
      telemetry.routeAnswered(route, 200);
      return value;
    },
    (error: unknown) => {
      telemetry.routeAnswered(route, statusOf(error) ?? 500);
      throw error;
    },
  );
}
