import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Figure } from '../support/figures.js';
import { runLoad, signatureRequest, webhookRequest } from '../http/load.js';
import { startServer } from '../http/servers.js';
import type { ServerSpec } from '../http/server-spec.js';
import { hottestFunctions, libraryInclusive, renderHotFunctions } from './summarize-profile.js';

const LOOP_CHILD = fileURLToPath(new URL('./verify-loop-child.js', import.meta.url));
const PROFILES = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** What to profile when a figure misses its target. */
export type ProfileSubject =
  | { kind: 'in-process'; subject: string }
  | { kind: 'http'; spec: ServerSpec; method: 'GET' | 'POST'; path: string };

function freshDirectory(name: string): string {
  const dir = `${PROFILES}${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

function onlyProfile(dir: string): string {
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no profile written in ${dir}`);
  return `${dir}/${files[0]}`;
}

/** Profiles one subject with `--cpu-prof` for `seconds` and returns the top of its self time. */
export async function profileSubject(
  name: string,
  subject: ProfileSubject,
  seconds: number,
): Promise<string> {
  const dir = freshDirectory(name);
  const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  if (subject.kind === 'in-process') {
    await promisify(execFile)(
      process.execPath,
      [...flags, LOOP_CHILD, subject.subject, String(seconds)],
      { timeout: 120_000 },
    );
  } else {
    const server = await startServer(subject.spec, flags);
    try {
      const request =
        subject.method === 'GET' ? signatureRequest(subject.path) : webhookRequest(subject.path);
      await runLoad({ url: server.url, request }, { connections: 16, seconds });
    } finally {
      await server.stop();
    }
  }
  const file = onlyProfile(dir);
  return [
    renderHotFunctions(`Profile: ${name}`, hottestFunctions(file)),
    renderHotFunctions(
      `Profile: ${name}, the module's functions`,
      libraryInclusive(file),
      'inclusive share of busy time',
    ),
  ].join('\n\n');
}

/** Profiles every missed figure that names a subject (once per subject) and adds the summaries to `notes`. */
export async function profileMissedFigures(
  figures: Figure[],
  notes: string[],
  seconds: number,
): Promise<void> {
  const done = new Set<string>();
  for (const figure of figures) {
    if (figure.status !== 'missed' || !figure.profile) continue;
    const name = figure.profile.name;
    if (done.has(name)) continue;
    done.add(name);
    try {
      notes.push(
        `${await profileSubject(name, figure.profile.subject, seconds)}\n\n(profile file: bench/.out/profiles/${name}/)`,
      );
    } catch (error) {
      notes.push(`Profile ${name} failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}
