import { W3 } from '/work/shared/bench/workloads/index.mjs';
import { loadBridle } from './backends.mjs';
const { context } = W3.generate();
const { fmt2, ...data } = context;
const t = (await loadBridle(process.argv[2])).Template.compile(W3.TEMPLATES.mustache, { syntax: 'mustache' });
let s = 0; const T = performance.now();
for (let i = 0; i < 3000; i++) s += t.render(data).length;
console.log(((performance.now() - T) * 1e3 / 3000).toFixed(1), 'us');
