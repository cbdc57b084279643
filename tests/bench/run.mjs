// `npm run bench [W1 ...]`: runs the workloads side by side with the peer libraries and
// prints a table of medians and ratios per workload. Not part of the test run.
import { runWorkload } from './harness.mjs';
import { w1 } from './w1.mjs';

const WORKLOADS = { W1: w1 };
const wanted = process.argv.slice(2).map((id) => id.toUpperCase());
const ids = wanted.length ? wanted : Object.keys(WORKLOADS);
console.log(`bridle benchmarks, Node ${process.version}, ${new Date().toISOString()}`);
for (const id of ids) {
  if (!WORKLOADS[id]) throw new Error(`unknown workload ${id}; known: ${Object.keys(WORKLOADS).join(', ')}`);
  await runWorkload(WORKLOADS[id]());
}
