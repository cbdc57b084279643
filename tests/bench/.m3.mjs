import { W1 } from '/work/shared/bench/workloads/index.mjs';
import { readFileSync } from 'node:fs';
import * as glue from '../../npm/bridle/wasm/bridle_wasm.js';
import { wasmBackendSync } from '../../npm/bridle/src/wasm-backend.js';
const wb = wasmBackendSync(readFileSync('npm/bridle/wasm/bridle_wasm_bg.wasm'));
const h = wb.compileTemplate(W1.TEMPLATES.fstring, 'fstring');
const len = new TextEncoder().encodeInto('sAda\0s36\0sZürich', wb.scratch()).written;
for (const mode of [2, 0, 1]) {
  const n = 200000; glue.zzLoop(h, len, n, mode);
  const t = performance.now(); glue.zzLoop(h, len, n, mode); console.log('mode', mode, ((performance.now() - t) * 1e6 / n).toFixed(0), 'ns');
}
function bench(label, f, N=1_000_000){ let s=0; for(let i=0;i<200000;i++) s+=f(i); const t=performance.now(); for(let i=0;i<N;i++) s+=f(i); const ms=performance.now()-t; console.log(label.padEnd(30), (ms*1e6/N).toFixed(0),'ns'); return s;}
bench('renderScratch', i => wb.renderScratch(h, len).length);
bench('version', i => glue.version().length);
bench('liveTemplates', i => glue.liveTemplates());
