import { W1 } from '/work/shared/bench/workloads/index.mjs';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { nativeBackend } from '../../npm/bridle/src/native-backend.js';
import { wasmBackendSync } from '../../npm/bridle/src/wasm-backend.js';
const require = createRequire(import.meta.url);
const { inputs } = W1.generate();
function bench(label, f, N=1_000_000){ let s=0; for(let i=0;i<200000;i++) s+=f(i); const t=performance.now(); for(let i=0;i<N;i++) s+=f(i); const ms=performance.now()-t; console.log(label.padEnd(30), (ms*1e6/N).toFixed(0),'ns'); return s;}
const nb = nativeBackend(require('../../npm/bridle/native/bridle.linux-x64-gnu.node'));
const wb = wasmBackendSync(readFileSync('npm/bridle/wasm/bridle_wasm_bg.wasm'));
const te = new TextEncoder();
const pre = inputs.map(v => `s${v.name}\0s${v.age}\0s${v.city}`);
for (const [name, b] of [['native', nb], ['wasm', wb]]) {
  const h = b.compileTemplate(W1.TEMPLATES.fstring, 'fstring');
  const scr = b.scratch();
  const len0 = te.encodeInto(pre[0], scr).written;
  bench(name + ' renderScratch (fixed bytes)', i => b.renderScratch(h, len0).length);
  bench(name + ' renderSlots (string)', i => b.renderSlots(h, pre[i & 255]).length);
}
