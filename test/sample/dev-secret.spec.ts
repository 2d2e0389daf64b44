import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DevSecretFileError } from '../../sample/src/config/dev-secret.js';
import { loadSampleConfig } from '../../sample/src/config/sample-config.js';
import { startUpBanner } from '../../sample/src/config/start-up-banner.js';
import { ALICE, getJson, logIn, startSample } from './sample-test-app.js';

describe('the sample without FLOW_API_SECRET', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-sample-'));
    file = join(dir, '.flow-dev-secret');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readSecret = () => readFileSync(file, 'utf8').replace(/\n$/, '');

  it('generates a sandbox-shaped secret in a file only its owner can read', () => {
    const config = loadSampleConfig({ FLOW_DEV_SECRET_FILE: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readSecret()).toMatch(/^sandbox_secret_[0-9a-f]{64}$/);
    expect(config.devSecret?.value).toBe(readSecret());
    expect(config.flowValues.apiSecret).toBe(readSecret());
    expect(config.devSecret).toMatchObject({ file, created: true });
  });

  it('reuses the secret on the next start, and narrows a file someone widened', () => {
    const first = loadSampleConfig({ FLOW_DEV_SECRET_FILE: file }).devSecret?.value;
    chmodSync(file, 0o644);
    const second = loadSampleConfig({ FLOW_DEV_SECRET_FILE: file });
    expect(second.devSecret?.value).toBe(first);
    expect(second.devSecret?.created).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prefers FLOW_API_SECRET and then writes no file', () => {
    const config = loadSampleConfig({
      FLOW_API_SECRET: `sandbox_secret_${'ab'.repeat(20)}`,
      FLOW_DEV_SECRET_FILE: file,
    });
    expect(config.devSecret).toBeUndefined();
    expect(config.flowValues.apiSecret).toBeUndefined();
    expect(() => statSync(file)).toThrow();
  });

  it('refuses a file that holds something else, without echoing it', () => {
    writeFileSync(file, 'my-real-password-123\n', { mode: 0o600 });
    expect(() => loadSampleConfig({ FLOW_DEV_SECRET_FILE: file })).toThrow(DevSecretFileError);
    try {
      loadSampleConfig({ FLOW_DEV_SECRET_FILE: file });
    } catch (error) {
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).not.toContain('my-real-password-123');
    }
  });

  it('names the file in its banner and never prints the secret', () => {
    const config = loadSampleConfig({ FLOW_DEV_SECRET_FILE: file });
    const banner = startUpBanner(config, 'http://localhost:3000/');
    const secret = readSecret();
    expect(banner).toContain(file);
    expect(banner).toContain('DEVELOPMENT secret');
    expect(banner).toContain('--secret-file');
    expect(banner).toContain(
      'npx cognito-flow webhook send http://localhost:3000/webhook_receivers/flow',
    );
    expect(banner).not.toContain(secret);
    expect(banner).not.toContain(secret.slice('sandbox_secret_'.length, 40));
  });

  it('signs with the secret in the file, so the CLI reading it agrees with the app', async () => {
    const sample = await startSample({ FLOW_DEV_SECRET_FILE: file });
    try {
      const answer = await getJson(
        sample.baseUrl,
        '/api/users/current/flow_signature',
        await logIn(sample.baseUrl, ALICE),
      );
      const expected = createHmac('sha256', readSecret()).update(ALICE.id, 'utf8').digest('base64');
      expect(answer.body.user.signature).toBe(expected);
      const settings = (await getJson(sample.baseUrl, '/api/sample/config')).body;
      expect(settings.devSecretInUse).toBe(true);
      // The file was moved: the page's command names the variable, not a path of the server's disk.
      expect(settings.secretFileArgument).toBe('"$FLOW_DEV_SECRET_FILE"');
    } finally {
      await sample.close();
    }
  });
});
