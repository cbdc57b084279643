// Differential: Bridle's Jinja against Python's Jinja2 3.1.6 configured as Hugging Face
// transformers renders chat templates (jinja_reference.py, one subprocess for every case), on
// seeded random chat templates and on the 53 real ones in ../shared/conformance. Half of the
// random cases go through Template.render, half through applyChatTemplate (whose reference gets
// transformers' default variables). Needs .tools/py (tests/differential/setup-python.sh); skips
// without it unless BRIDLE_REQUIRE_PYTHON is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyChatTemplate, render } from 'bridle';
import { HF_NOW } from '../conformance/cases.mjs';
import { jinjaCases } from './jinja-cases.mjs';
import { BUG_CLASSES, classify } from './jinja-classes.mjs';
import { attempt, since, Tally } from './harness.mjs';
import { PYTHON, PythonJinja, pythonAvailable } from './jinja-reference.mjs';

const COUNT = Number(process.env.DIFF_CASES ?? 1500);
const SEED = Number(process.env.DIFF_SEED ?? 13);
const FLOOR = 0.87;
const CONFORMANCE_FLOOR = 53;

const required = Boolean(process.env.BRIDLE_REQUIRE_PYTHON);
const skip = !pythonAvailable() && !required
  ? `${PYTHON} is missing: run tests/differential/setup-python.sh (with BRIDLE_REQUIRE_PYTHON set, this fails instead)`
  : false;

let python;
before(() => {
  if (skip) return;
  assert.ok(pythonAvailable(), `BRIDLE_REQUIRE_PYTHON is set but ${PYTHON} is missing: run tests/differential/setup-python.sh`);
  python = new PythonJinja();
});
after(() => python?.close());

/** Renders `c` through its Bridle API: `Template.render` (`render`) or `applyChatTemplate`. */
function renderBridle(c) {
  return c.api === 'render'
    ? render(c.template, c.context, { syntax: 'jinja', now: c.now })
    : applyChatTemplate(c.template, { ...c.context, now: c.now });
}

/** What transformers renders with: apply_chat_template always passes tools and documents (None when not given). */
const transformersContext = (context) => ({ tools: null, documents: null, add_generation_prompt: false, ...context });

/** Runs `cases` through both sides, classes the disagreements, and returns one Tally per API. */
async function compare(name, cases) {
  for (const c of cases) c.referenceContext = c.api === 'apply' ? transformersContext(c.context) : c.context;
  const references = await python.renderAll(cases.map((c) => ({ template: c.template, context: c.referenceContext, now: c.now })));
  const outcomes = cases.map((c, i) => ({
    c,
    bridle: attempt(() => renderBridle(c)),
    reference: references[i].ok ? { ok: true, value: references[i].output } : { ok: false, error: Object.assign(new Error(references[i].message), { name: references[i].kind }) },
  }));
  const probe = new Tally('probe');
  const disagreements = outcomes.filter((o) => probe.record(o.c, o.bridle, o.reference) !== 'agree');
  const classes = await classify(disagreements, python);
  const tallies = {};
  for (const api of ['render', 'apply']) {
    const label = api === 'render' ? 'Template.render' : 'applyChatTemplate';
    tallies[api] = new Tally(`${name} through ${label} vs Jinja2`, { classify: (c) => classes.get(c) ?? null, bugs: BUG_CLASSES });
  }
  for (const o of outcomes) tallies[o.c.api].record(o.c, o.bridle, o.reference);
  return { tallies, references };
}

test(`jinja: ${COUNT} random chat templates against Jinja2 (seed ${SEED})`, { skip }, async () => {
  const started = performance.now();
  const cases = jinjaCases({ seed: SEED, count: COUNT, now: HF_NOW }).map((c) => ({ ...c, api: c.id % 2 ? 'apply' : 'render' }));
  const { tallies } = await compare('jinja random', cases);
  console.log(`jinja differential: ${since(started)}`);
  const failures = [];
  for (const tally of Object.values(tallies)) {
    try {
      tally.report(FLOOR);
    } catch (error) {
      failures.push(error.message);
    }
  }
  assert.deepEqual(failures, []);
});

test('jinja: the 53 Hugging Face chat templates against Jinja2, through both APIs', { skip }, async () => {
  const started = performance.now();
  const { cases: hf } = JSON.parse(readFileSync(new URL('../../../shared/conformance/hf-chat-templates.json', import.meta.url), 'utf8'));
  const cases = hf.flatMap((h, i) => ['render', 'apply'].map((api) => ({ id: `${h.name} (${api})`, index: i, template: h.template, context: h.context, now: HF_NOW, api })));
  const { tallies, references } = await compare('hf-chat-templates', cases);
  console.log(`hf-chat-templates differential: ${since(started)}`);
  // The reference itself: through Template.render (the context as given) it must give the
  // outputs the conformance file holds, which Jinja2 3.1.6 rendered in transformers' setup.
  const off = cases.filter((c, i) => c.api === 'render' && !(references[i].ok && references[i].output === hf[c.index].expected));
  assert.deepEqual(off.map((c) => c.id), [], 'jinja_reference.py does not reproduce the conformance file');
  const failures = [];
  for (const tally of Object.values(tallies)) {
    try {
      tally.report(CONFORMANCE_FLOOR / hf.length);
    } catch (error) {
      failures.push(error.message);
    }
  }
  assert.deepEqual(failures, []);
});
