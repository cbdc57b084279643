import { W1 } from '/work/shared/bench/workloads/index.mjs';
const { inputs } = W1.generate();
const names = Object.freeze(['name', 'age', 'city']);
function bench(label, f, N=3_000_000){ let s=0; for(let i=0;i<200000;i++) s+=f(i); const t=performance.now(); for(let i=0;i<N;i++) s+=f(i); const ms=performance.now()-t; console.log(label.padEnd(30), (ms*1e6/N).toFixed(1),'ns'); return s;}
function loopRead(data, names) { let s = 0; for (let i = 0; i < names.length; i++) s += data[names[i]].length; return s; }
function unrolled(data, names) { const n = names.length; let s = 0;
  if (n > 0) s += data[names[0]].length; if (n > 1) s += data[names[1]].length; if (n > 2) s += data[names[2]].length;
  for (let i = 3; i < n; i++) s += data[names[i]].length; return s; }
for (let r = 0; r < 3; r++) {
  bench('loop read', i => loopRead(inputs[i & 255], names));
  bench('unrolled read', i => unrolled(inputs[i & 255], names));
}
