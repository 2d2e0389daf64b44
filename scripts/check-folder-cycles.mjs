// Fails when the folders of lib/ import each other in a cycle. Each top-level folder of lib/ is one
// part (lib/events/postgres/ belongs to events); each file at lib/'s root (flow.module.ts,
// index.ts…) is a unit of its own. Arrows must point one way, so a part can be read, tested and
// moved without the rest: a cycle is reported as the folders it passes through, with one import
// that makes each step, and the exit code is 1.
//
// Usage: node scripts/check-folder-cycles.mjs [directory]   (default: lib)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Every `.ts` file under `dir`, as absolute paths. */
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The part a file belongs to: its top-level folder, or the file's own name at the root. */
function unitOf(root, file) {
  const [first] = relative(root, file).split(sep);
  return first;
}

/**
 * The relative specifiers a file imports or re-exports, type-only ones and `import()` included.
 * TypeScript's own pre-processor reads them, so comments and strings are never mistaken for imports.
 */
function relativeImports(file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map((entry) => entry.fileName).filter((name) => name.startsWith('.'));
}

/** Maps each unit to the units it imports, with the first import that makes each arrow. */
export function folderGraph(root) {
  const graph = new Map();
  for (const file of sourceFiles(root)) {
    const from = unitOf(root, file);
    const arrows = graph.get(from) ?? new Map();
    graph.set(from, arrows);
    for (const specifier of relativeImports(file)) {
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (relative(root, target).startsWith('..')) continue;
      const to = unitOf(root, target);
      if (to !== from && !arrows.has(to)) {
        arrows.set(to, `${relative(root, file)} imports ${specifier}`);
      }
    }
  }
  return graph;
}

/** Strongly connected groups of the graph with more than one unit (Tarjan's algorithm). */
function cyclicGroups(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (unit) => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit));
    stack.push(unit);
    onStack.add(unit);
    for (const next of graph.get(unit)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(unit, Math.min(low.get(unit), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(unit, Math.min(low.get(unit), index.get(next)));
      }
    }
    if (low.get(unit) !== index.get(unit)) return;
    const group = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      group.push(member);
    } while (member !== unit);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const unit of [...graph.keys()].sort()) if (!index.has(unit)) visit(unit);
  return groups;
}

/** One shortest cycle through `start` inside `group`, as a list of units ending at `start`. */
function cycleThrough(graph, group, start) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const unit = queue.shift();
    for (const next of graph.get(unit)?.keys() ?? []) {
      if (!group.includes(next)) continue;
      if (next === start) {
        const path = [unit];
        while (previous.get(path[0]) !== null) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, unit);
        queue.push(next);
      }
    }
  }
  return [start];
}

/**
 * The cycles among the folders of `root`: for each group of folders that reach one another, the
 * shortest cycle through each of its folders (each reported once), with the import behind each
 * step. Every folder caught in a cycle appears in at least one of them.
 */
export function findFolderCycles(root) {
  const graph = folderGraph(root);
  const cycles = [];
  const seen = new Set();
  for (const group of cyclicGroups(graph)) {
    for (const start of group) {
      const path = cycleThrough(graph, group, start);
      // The same cycle read from another folder: rotate it to start at its smallest name.
      const ring = path.slice(0, -1);
      const first = ring.indexOf([...ring].sort()[0]);
      const key = [...ring.slice(first), ...ring.slice(0, first)].join(' -> ');
      if (seen.has(key)) continue;
      seen.add(key);
      const steps = ring.map((unit, i) => graph.get(unit).get(path[i + 1]));
      cycles.push({ folders: group, path, steps });
    }
  }
  return cycles;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(process.argv[2] ?? 'lib');
  const cycles = findFolderCycles(root);
  if (cycles.length === 0) {
    console.log(`No import cycle between the folders of ${relative(process.cwd(), root) || '.'}.`);
  } else {
    for (const cycle of cycles) {
      console.error(`Import cycle between folders: ${cycle.path.join(' -> ')}`);
      for (const step of cycle.steps) console.error(`  ${step}`);
    }
    console.error('Make the arrows point one way: move the shared piece into the lower folder.');
    process.exitCode = 1;
  }
}
