import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeEnvironment } from './support/environment.js';
import type { Figure } from './support/figures.js';
import { benchSigning } from './in-process/signing.bench.js';
import { benchFloor, benchVerification } from './in-process/verification.bench.js';
import { renderReport, renderConsole } from './report/render-report.js';
import { plan, parseArguments, type BenchSection } from './plan.js';
import { benchHttp } from './http/http.bench.js';
import { benchMemory } from './memory/memory.bench.js';
import { benchStorm } from './storm/storm.bench.js';
import { benchTelemetry } from './telemetry/telemetry.bench.js';
import { profileMissedFigures } from './profile/profile-missed.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs every comparison of the benchmark in one process run and writes the table. Returns the
 * exit code: 0 unless a section failed because the code under test misbehaved (a figure that is
 * merely missed, or not measurable here, is not a failure).
 */
export async function main(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  const settings = plan(args.quick);
  const environment = describeEnvironment();
  const figures: Figure[] = [];
  const failures: string[] = [];
  const notes: string[] = [];
  const details: Array<{ section: string; markdown: string }> = [];
  const started = Date.now();
  const sections: Record<BenchSection, () => Promise<Figure[]>> = {
    signing: () => benchSigning(settings.inProcess),
    verification: () => benchVerification(settings.inProcess, settings.floorRuns),
    http: () => benchHttp(settings.http, notes, details),
    telemetry: () => benchTelemetry(settings.telemetry),
    storm: () => benchStorm(settings.storm, details),
    floor: () => benchFloor(settings.inProcess, settings.floorRuns),
    'storm-memory': () => benchStorm(settings.storm, details, false),
    memory: () => benchMemory(settings.memory, notes),
  };
  console.log(
    `bench: ${args.quick ? 'quick' : 'full'} run on Node ${environment.node}, ${environment.cpu} ×${environment.cores}, load ${environment.loadAtStart}`,
  );
  for (const name of args.sections) {
    const at = Date.now();
    process.stdout.write(`bench: ${name}… `);
    try {
      const result = await sections[name]();
      figures.push(...result);
      console.log(`${result.length} figures in ${((Date.now() - at) / 1000).toFixed(1)} s`);
    } catch (error) {
      console.log('failed');
      console.error(error);
      failures.push(`${name}: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  if (settings.profileSeconds > 0) {
    // HTTP figures were profiled inside their section (it owns the servers and Redis).
    const inProcess = figures.filter((figure) => figure.profile?.subject.kind === 'in-process');
    await profileMissedFigures(inProcess, notes, settings.profileSeconds);
  }
  const report = renderReport({
    environment,
    figures,
    failures,
    notes,
    details,
    quick: args.quick,
    seconds: (Date.now() - started) / 1000,
  });
  console.log(renderConsole(figures));
  // Every run leaves its report in bench/.out/; only a full run of every section replaces BENCHMARKS.md.
  mkdirSync(`${ROOT}bench/.out`, { recursive: true });
  const out =
    args.write && !args.quick
      ? `${ROOT}BENCHMARKS.md`
      : `${ROOT}bench/.out/BENCHMARKS.${args.quick ? 'quick' : 'partial'}.md`;
  writeFileSync(out, report);
  console.log(`bench: wrote ${out.slice(ROOT.length)}`);
  if (failures.length > 0)
    console.error(`bench: ${failures.length} section(s) failed:\n  ${failures.join('\n  ')}`);
  return failures.length > 0 ? 1 : 0;
}
