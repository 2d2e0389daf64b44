import type { LoggerService } from '@nestjs/common';

/** One captured log line. */
export interface CapturedLog {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context?: string;
}

/** A Nest logger that keeps every line (debug included) for assertions, and prints none. */
export class CaptureLogger implements LoggerService {
  readonly lines: CapturedLog[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.push('fatal', message, rest);
  }

  /** Lines of one level whose message contains `text`. */
  find(level: CapturedLog['level'], text: string): CapturedLog[] {
    return this.lines.filter((line) => line.level === level && line.message.includes(text));
  }

  private push(level: CapturedLog['level'], message: unknown, rest: unknown[]): void {
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    this.lines.push({ level, message: String(message), context });
  }
}
