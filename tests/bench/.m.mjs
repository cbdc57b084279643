import { W1 } from '/work/shared/bench/workloads/index.mjs';
import { loadBridle } from '/work/main/tests/bench/backends.mjs';
import nunjucks from '/work/main/node_modules/nunjucks/index.js';
const { inputs } = W1.generate();
function bench(label, f, N=1_000_000){ let s=0; for(let i=0;i<200000;i++) s+=f(i).length; const t=performance.now(); for(let i=0;i<N;i++) s+=f(i).length; const ms=performance.now()-t; console.log(label.padEnd(30), (ms*1e6/N).toFixed(0),'ns'); return s;}
const t = loadBridle('native').Template.compile(W1.TEMPLATES.fstring);
const w = loadBridle('wasm').Template.compile(W1.TEMPLATES.fstring);
const env = new nunjucks.Environment(null, { autoescape: false });
const nj = nunjucks.compile(W1.TEMPLATES.jinja, env);
for (let r = 0; r < 3; r++) {
bench('native', i => t.render(inputs[i&255]));
bench('wasm', i => w.render(inputs[i&255]));
bench('nunjucks', i => nj.render(inputs[i&255]));
}
