import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

/** The shape of the secrets this file writes: a sandbox secret, 64 hex characters after the prefix. */
const DEV_SECRET_SHAPE = /^sandbox_secret_[0-9a-f]{64}$/;

/** Only the owner may read or write the file. */
const OWNER_ONLY = 0o600;

/** What {@link loadOrCreateDevSecret} did, for the start-up banner (never the secret itself). */
export interface DevSecret {
  /** The secret, to hand to FlowModule. */
  readonly value: string;
  /** The file it lives in. */
  readonly file: string;
  /** True when it was generated on this start, false when an earlier one was reused. */
  readonly created: boolean;
}

/** The development secret file exists but does not hold a secret this sample wrote. */
export class DevSecretFileError extends Error {
  /** Stable code for callers. */
  readonly code = 'invalid_dev_secret_file';

  constructor(file: string) {
    super(
      `${file} does not hold a development secret written by the sample. Delete it to get a new ` +
        'one, or set FLOW_API_SECRET to your sandbox secret.',
    );
    this.name = 'DevSecretFileError';
  }
}

function readExisting(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // One trailing newline is dropped, exactly as the CLI's --secret-file does.
  const value = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!DEV_SECRET_SHAPE.test(value)) throw new DevSecretFileError(file);
  // A file someone widened (or copied with a loose umask) is narrowed again before use.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
  return value;
}

/**
 * Reuses the development secret kept in `file`, or generates a sandbox-shaped one and writes it
 * there with mode 0600. The file is created exclusively (`wx`), so two instances starting
 * together end up sharing the first one's secret instead of overwriting each other.
 */
export function loadOrCreateDevSecret(file: string): DevSecret {
  const existing = readExisting(file);
  if (existing !== undefined) return { value: existing, file, created: false };
  const value = `sandbox_secret_${randomBytes(32).toString('hex')}`;
  let fd: number;
  try {
    fd = openSync(file, 'wx', OWNER_ONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = readExisting(file);
    if (raced === undefined) throw error;
    return { value: raced, file, created: false };
  }
  try {
    writeSync(fd, `${value}\n`);
  } finally {
    closeSync(fd);
  }
  // The umask can only narrow the mode given to open; this makes 0600 explicit whatever it is.
  chmodSync(file, OWNER_ONLY);
  return { value, file, created: true };
}
