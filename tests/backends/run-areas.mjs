// The child process of random.test.mjs: runs every area's seeded random cases on the backend
// BRIDLE_BACKEND names and writes `{ backend, version, areas: [{ name, ms, cases }] }` as JSON to
// stdout, each case `{ input, result }` with both made observable by observe.mjs.
//   BACKENDS_SEED   the seed (default 1); every area draws from its own Rng derived from it
//   BACKENDS_SCALE  multiplies every area's case count (default 1)
//   BACKENDS_ONLY   a comma-separated list of area name prefixes to run (default all)
//   BACKENDS_CASES  a comma-separated list of case indexes: only those run (the inputs before
//                   them are still drawn, so case i is the same case as in a full run)
//   BACKENDS_FULL   1: long inputs and bulky observations (traces, per-chunk values) whole,
//                   not as digests, to look into a mismatch
import * as bridle from 'bridle';
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { describeInput, outcomeAsync } from './observe.mjs';
import { holdsWideInteger, isEmptyOutput } from './compare.mjs';
import { AREAS } from './areas/index.mjs';

const seed = Number(process.env.BACKENDS_SEED ?? 1);
const scale = Number(process.env.BACKENDS_SCALE ?? 1);
const only = process.env.BACKENDS_ONLY ? process.env.BACKENDS_ONLY.split(',') : null;
const picked = process.env.BACKENDS_CASES ? new Set(process.env.BACKENDS_CASES.split(',').map(Number)) : null;

/** A seed per area (FNV-1a of its name mixed with the run's seed), so areas do not shift each other. */
function areaSeed(name) {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

const out = { backend: bridle.backend, version: bridle.version, seed, areas: [] };
for (const area of AREAS) {
  if (only && !only.some((prefix) => area.name.startsWith(prefix))) continue;
  const started = performance.now();
  const rng = new Rng(areaSeed(area.name));
  const context = area.setup ? await area.setup(bridle) : undefined;
  const cases = [];
  const count = Math.max(1, Math.round(area.count * scale));
  for (let i = 0; i < count; i++) {
    const input = area.make(rng, i);
    if (picked && !picked.has(i)) continue;
    // The input is described before the run, which may not change what it was given.
    const described = describeInput(input);
    const result = await outcomeAsync(() => area.run(bridle, input, context));
    // Whether the part of the output that matters (the area's `outputOf`) says nothing.
    const empty = 'ok' in result && isEmptyOutput(area.outputOf ? area.outputOf(result.ok) : result.ok);
    // Kept as JSON text: a heap of millions of small objects would make every later GC slow.
    cases.push(JSON.stringify({ index: i, input: described, result, empty, wide: holdsWideInteger(input) }));
  }
  await area.teardown?.(context);
  out.areas.push({ name: area.name, expect: area.expect, ms: Math.round(performance.now() - started), cases });
}
/** `object` as JSON with one more member whose value is the list of JSON texts `items`. */
const withList = (object, key, items) => `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:[${items.join(',')}]}`;
const { areas, ...head } = out;
process.stdout.write(withList(head, 'areas', areas.map(({ cases, ...area }) => withList(area, 'cases', cases))));
