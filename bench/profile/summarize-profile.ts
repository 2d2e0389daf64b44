import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the samples. */
export interface HotFunction {
  /** `name (file:line)`, the file relative to the project. */
  location: string;
  /** Share of all samples spent in the function itself. */
  selfPercent: number;
}

function shortUrl(url: string): string {
  const at = url.indexOf('/bench/.out/');
  if (at !== -1) return url.slice(at + '/bench/.out/'.length);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + 1);
  return url.replace(/^file:\/\//, '').replace(/^node:/, 'node:');
}

/**
 * The functions with the most self time in a V8 `.cpuprofile` (from `node --cpu-prof`), with
 * (garbage collector), (program) and (idle) kept as they are: they say what bounds the rest.
 */
export function hottestFunctions(file: string, top = 15): HotFunction[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const name = frame.functionName || '(anonymous)';
    const location = frame.url ? `${name} (${shortUrl(frame.url)}:${frame.lineNumber + 1})` : name;
    selfTime.set(location, (selfTime.get(location) ?? 0) + delta);
    total += delta;
  });
  return [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([location, time]) => ({ location, selfPercent: (100 * time) / total }));
}

/**
 * Inclusive time (the function and what it calls) of the library's own functions, as a share of
 * the busy time (idle excluded): how much of the work the module itself accounts for.
 */
export function libraryInclusive(file: string, top = 10): HotFunction[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    busy += delta;
    const seen = new Set<string>();
    for (
      let current: number | undefined = id;
      current !== undefined;
      current = parent.get(current)
    ) {
      const frame = byId.get(current)?.callFrame;
      if (!frame || !frame.url.includes('/bench/.out/lib/')) continue;
      const location = `${frame.functionName || '(anonymous)'} (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
      if (seen.has(location)) continue;
      seen.add(location);
      inclusive.set(location, (inclusive.get(location) ?? 0) + delta);
    }
  });
  return [...inclusive.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([location, time]) => ({ location, selfPercent: (100 * time) / busy }));
}

/** A markdown list of {@link hottestFunctions}. */
export function renderHotFunctions(title: string, hot: HotFunction[], what = 'self time'): string {
  return [
    `**${title}** (${what}, top ${hot.length}):`,
    '',
    ...hot.map((h) => `- ${h.selfPercent.toFixed(1)}% ${h.location.replace(/\|/g, '\\|')}`),
  ].join('\n');
}
