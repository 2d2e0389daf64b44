import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private temporary folder for secret files, removed by the returned `cleanup`. */
export function secretFolder(): {
  write(name: string, content: string, mode?: number): string;
  cleanup(): void;
} {
  const folder = mkdtempSync(join(tmpdir(), 'cognito-flow-cli-'));
  return {
    write(name, content, mode = 0o600) {
      const path = join(folder, name);
      writeFileSync(path, content, { mode });
      chmodSync(path, mode);
      return path;
    },
    cleanup: () => rmSync(folder, { recursive: true, force: true }),
  };
}
