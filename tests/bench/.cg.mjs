import { W1 } from '/work/shared/bench/workloads/index.mjs';
import { loadBridle } from './backends.mjs';
import nunjucks from 'nunjucks';
const { inputs } = W1.generate();
const which = process.argv[2], n = Number(process.argv[3]);
let render;
if (which === 'nunjucks') { const env = new nunjucks.Environment(null, { autoescape: false }); const t = nunjucks.compile(W1.TEMPLATES.jinja, env); render = (d) => t.render(d); }
else { const t = loadBridle(which).Template.compile(W1.TEMPLATES.fstring); render = (d) => t.render(d); }
let s = 0;
for (let i = 0; i < 300000; i++) s += render(inputs[i & 255]).length; // warm up (JIT)
for (let i = 0; i < n; i++) s += render(inputs[i & 255]).length;
console.log(s);
