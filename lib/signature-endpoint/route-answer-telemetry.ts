import { HttpException } from '@nestjs/common';
import type { FlowTelemetry } from '../telemetry/flow-telemetry.js';

/** The status an answer went out with: 200, an HttpException's, or none (a 500 from Nest's filter). */
function statusOf(error: unknown): number | undefined {
  return error instanceof HttpException ? error.getStatus() : undefined;
}

/**
 * Counts the route's answer once `answer` settles, by status class; the answer itself is passed
 * on untouched. Refusals by the host's guards come before the handler and are not counted here.
 */
export function countRouteAnswer<T>(
  telemetry: FlowTelemetry | undefined,
  route: 'signature' | 'hosted_session',
  answer: Promise<T>,
  successStatus: number,
): Promise<T> {
  if (telemetry === undefined || !telemetry.enabled) return answer;
  return answer.then(
    (value) => {
      telemetry.routeAnswered(route, successStatus);
      return value;
    },
    (error: unknown) => {
      telemetry.routeAnswered(route, statusOf(error) ?? 500);
      throw error;
    },
  );
}
