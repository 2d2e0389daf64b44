/** How a doctor check came out. */
export type DoctorStatus = 'pass' | 'warn' | 'fail';

/** One line of `cognito-flow doctor`: never contains a secret's value. */
export interface DoctorCheck {
  status: DoctorStatus;
  /** Short name of what was checked. */
  name: string;
  /** What was found. */
  message: string;
  /** How to fix it, for warnings and failures whose message does not already say. */
  fix?: string;
}

/** A passing check. */
export const pass = (name: string, message: string): DoctorCheck => ({
  status: 'pass',
  name,
  message,
});

/** A warning: allowed, but against Cognito's checklist or not verifiable. */
export const warn = (name: string, message: string, fix?: string): DoctorCheck => ({
  status: 'warn',
  name,
  message,
  fix,
});

/** A failure: the module would refuse this, or it is unsafe. */
export const fail = (name: string, message: string, fix?: string): DoctorCheck => ({
  status: 'fail',
  name,
  message,
  fix,
});

/** Formats a check as its one output line. */
export function formatDoctorCheck(check: DoctorCheck): string {
  const fix = check.fix ? ` Fix: ${check.fix}` : '';
  return `${check.status.toUpperCase()}  ${check.name}: ${check.message}${fix}`;
}
