import { W1 } from '/work/shared/bench/workloads/index.mjs';
import { loadBridle } from './backends.mjs';
const { inputs } = W1.generate();
const t = (await loadBridle(process.argv[2])).Template.compile(W1.TEMPLATES.fstring);
let s = 0; const T = performance.now();
for (let i = 0; i < 3_000_000; i++) s += t.render(inputs[i & 255]).length;
console.log(((performance.now() - T) * 1e6 / 3e6).toFixed(0), 'ns');
