import type { ProfileSubject } from '../profile/profile-missed.js';

/** How a figure is judged: the ratio must stay at or under (`max`) or at or over (`min`) `value`. */
export interface Target {
  /** `max`: at most `value` (times); `min`: at least `value`; `below`: strictly under `value`. */
  kind: 'max' | 'min' | 'below';
  /** The bound on the ratio. */
  value: number;
}

/** What became of a figure in this run. */
export type FigureStatus = 'met' | 'missed' | 'reported' | 'not measured';

/** One line of the results table: a subject measured against its baseline in the same run. */
export interface Figure {
  /** Table the figure belongs to (`Signing`, `Verification, 340 B`, `HTTP, Express`…). */
  section: string;
  /** What was measured. */
  subject: string;
  /** What it is compared with. */
  baseline: string;
  /** The subject's measurement, in `unit`. */
  subjectValue?: number;
  /** The baseline's measurement, in `unit`. */
  baselineValue?: number;
  /** `ns/op` (lower is better), `req/s` (higher is better), or a size. */
  unit: 'ns/op' | 'req/s' | 'MiB' | 'µs';
  /** subjectValue / baselineValue. */
  ratio?: number;
  /** The target for the ratio, when it sets one. */
  target?: Target;
  /** Met, missed, only reported, or not measured (with the reason in `note`). */
  status: FigureStatus;
  /** Why it was not measured, or what to keep in mind reading it. */
  note?: string;
  /** What to run under `--cpu-prof` when the target is missed (`name` names the profile). */
  profile?: { name: string; subject: ProfileSubject };
}

/** Judges `ratio` against `target`. */
export function judge(ratio: number, target: Target | undefined): FigureStatus {
  if (target === undefined) return 'reported';
  if (!Number.isFinite(ratio)) return 'missed';
  if (target.kind === 'max') return ratio <= target.value ? 'met' : 'missed';
  if (target.kind === 'below') return ratio < target.value ? 'met' : 'missed';
  return ratio >= target.value ? 'met' : 'missed';
}

/** Builds a judged figure from two measurements. */
export function ratioFigure(
  fields: Omit<Figure, 'ratio' | 'status' | 'subjectValue' | 'baselineValue'>,
  subjectValue: number,
  baselineValue: number,
): Figure {
  const ratio = subjectValue / baselineValue;
  return { ...fields, subjectValue, baselineValue, ratio, status: judge(ratio, fields.target) };
}

/** A figure that could not be measured in this run, and why. */
export function notMeasured(fields: Omit<Figure, 'status' | 'note'>, why: string): Figure {
  return { ...fields, status: 'not measured', note: why };
}

/** The target in words, e.g. `≤ 1.10x`. */
export function describeTarget(target: Target | undefined): string {
  if (target === undefined) return 'reported';
  const value = `${target.value.toFixed(2)}x`;
  return target.kind === 'max' ? `≤ ${value}` : target.kind === 'min' ? `≥ ${value}` : `< ${value}`;
}
