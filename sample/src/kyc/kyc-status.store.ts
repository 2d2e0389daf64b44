import { Injectable } from '@nestjs/common';

/** One Flow event as it was applied to a user. */
export interface KycHistoryEntry {
  /** `whkevt_…`: each id appears at most once. */
  eventId: string;
  /** The event name, e.g. `flow_session.status.updated`. */
  event: string;
  /** The session status the event carried. */
  status: string;
  /**
   * The event's own `timestamp` (when it happened at Cognito, not when it arrived); for a status
   * confirmed with Cognito's API, when the API was read.
   */
  at: string;
  /** The step a `flow_session.step.updated` event names; absent on other events. */
  step?: string;
}

/** What `GET /api/users/current/kyc` answers. */
export interface KycView {
  /** The user's id, as Flow knows them. */
  customerReference: string;
  /** Status of the event with the latest timestamp, or null before any event. */
  status: string | null;
  /** Every applied event, in the order they arrived. */
  history: KycHistoryEntry[];
}

interface UserKyc {
  history: KycHistoryEntry[];
  eventIds: Set<string>;
  latest?: { time: number; status: string };
}

/** Milliseconds since the epoch; an unparseable timestamp sorts before every real one. */
function eventTime(timestamp: string): number {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * Users' verification statuses, in this instance's memory. Each event id is applied once, and
 * since Cognito does not order deliveries, the current status is the one of the event with the
 * latest timestamp, not of the last one to arrive (on a tie, the later arrival wins).
 */
@Injectable()
export class KycStatusStore {
  private readonly users = new Map<string, UserKyc>();

  /**
   * Applies an event; returns false when this event id was already applied. A step event
   * (`setsStatus` false) joins the history without changing the current status.
   */
  apply(customerReference: string, entry: KycHistoryEntry, setsStatus = true): boolean {
    let user = this.users.get(customerReference);
    if (!user) {
      user = { history: [], eventIds: new Set() };
      this.users.set(customerReference, user);
    }
    if (user.eventIds.has(entry.eventId)) return false;
    user.eventIds.add(entry.eventId);
    user.history.push({ ...entry });
    if (!setsStatus) return true;
    const time = eventTime(entry.at);
    if (!user.latest || time >= user.latest.time) user.latest = { time, status: entry.status };
    return true;
  }

  /** The user's current status and history (a copy). */
  view(customerReference: string): KycView {
    const user = this.users.get(customerReference);
    return {
      customerReference,
      status: user?.latest?.status ?? null,
      history: (user?.history ?? []).map((entry) => ({ ...entry })),
    };
  }
}
