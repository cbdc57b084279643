// `npm run bench [W1 ...] [--processes N]`: runs each workload in N fresh processes (3 by
// default) side by side with the peer libraries and prints one table per workload. Not part
// of the test run.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureWorkload, printTable } from './harness.mjs';
import { w1 } from './w1.mjs';
import { w2 } from './w2.mjs';
import { w3 } from './w3.mjs';
import { measureW4, printW4 } from './w4.mjs';
import { measureW5, printW5 } from './w5.mjs';
import { w6 } from './w6.mjs';
import { c1, c2 } from './chains.mjs';
import { measureT1, printT1, measureT2, printT2, measureT3, printT3 } from './tokens.mjs';

const WORKLOADS = { W1: w1, W2: w2, W3: w3, W6: w6, C1: c1, C2: c2 };
// Workloads with their own measure (whole streams at several sizes) and table.
const CUSTOM = {
  W4: { measure: measureW4, print: printW4 },
  W5: { measure: measureW5, print: printW5 },
  T1: { measure: measureT1, print: printT1 },
  T2: { measure: measureT2, print: printT2 },
  T3: { measure: measureT3, print: printT3 },
};
const args = process.argv.slice(2);

if (args[0] === '--child') {
  const custom = CUSTOM[args[1]];
  const result = custom ? await custom.measure() : await measureWorkload(WORKLOADS[args[1]]());
  console.log(JSON.stringify(result));
} else {
  const at = args.indexOf('--processes');
  const processes = at >= 0 ? Number(args.splice(at, 2)[1]) : 3;
  const ids = args.length ? args.map((id) => id.toUpperCase()) : [...Object.keys(WORKLOADS), ...Object.keys(CUSTOM)];
  console.log(`bridle benchmarks, Node ${process.version}, ${new Date().toISOString()}`);
  for (const id of ids) {
    if (!WORKLOADS[id] && !CUSTOM[id]) throw new Error(`unknown workload ${id}; known: ${Object.keys(WORKLOADS).join(', ')}`);
    const results = [];
    for (let p = 0; p < processes; p++) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', id], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      results.push(JSON.parse(out.trim().split('\n').pop()));
    }
    if (CUSTOM[id]) CUSTOM[id].print(results);
    else printTable(WORKLOADS[id](), results);
  }
}
