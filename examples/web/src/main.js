// Bridle in a browser page, bundled by Vite: render a prompt template, guard the rendered
// prompt, and stream an answer from the scripted model.
import { init, Template, compileSchema, guard, checks, scripted, BridleError } from 'bridle';

// One example per syntax; picking another syntax swaps the template if it was left unedited.
const EXAMPLES = {
  fstring: 'Write a short reply to {customer} ({email}), who wrote:\n{message}',
  mustache: 'Write a short reply to {{customer}}{{#email}} ({{.}}){{/email}}, who wrote:\n{{message}}',
  handlebars: 'Write a short reply to {{customer}}{{#if email}} ({{email}}){{/if}}, who wrote:\n{{message}}',
  jinja: 'Write a short reply to {{ customer | title }}{% if email %} ({{ email }}){% endif %}, who wrote:\n{{ message }}',
};
const DATA = {
  customer: 'ana',
  email: 'ana@example.com',
  message: 'My card 4111 1111 1111 1111 was charged twice for order 1042.',
};
const ANSWER = 'Sorry about the double charge! The second payment is refunded; it will be back on your card within five days.';

const $ = (id) => document.getElementById(id);
const form = $('form');
const syntax = $('syntax');
const templateInput = $('template');
const dataInput = $('data');
const renderButton = $('render');
const errorBox = $('error');
const promptOut = $('prompt');
const findingsOut = $('findings');
const sentOut = $('sent');
const answerOut = $('answer');
const usageOut = $('usage');
const status = $('status');

templateInput.value = EXAMPLES[syntax.value];
dataInput.value = JSON.stringify(DATA, null, 2);
let shownSyntax = syntax.value;
syntax.addEventListener('change', () => {
  if (templateInput.value === EXAMPLES[shownSyntax]) templateInput.value = EXAMPLES[syntax.value];
  shownSyntax = syntax.value;
});

let anyJson; // a JSON Schema that accepts any value: validateJson parses, with typed errors
let inputGuard;
let model;
let run = 0;
let controller = null;

function setStatus(state) {
  document.body.dataset.status = state;
}

function showError(error) {
  errorBox.querySelector('.code').textContent = error instanceof BridleError ? error.code : error.name;
  errorBox.querySelector('.message').textContent = error.message;
  errorBox.hidden = false;
}

function showFindings(findings) {
  findingsOut.replaceChildren(...findings.map((finding) => {
    const item = document.createElement('li');
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = finding.type;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = finding.text;
    item.append(type, text);
    return item;
  }));
  if (findings.length === 0) findingsOut.innerHTML = '<li class="muted">none</li>';
}

/** Renders, guards and asks the model; a newer call aborts the stream of an older one. */
async function update(marks = false) {
  if (marks) performance.mark('bridle:render-start');
  const id = ++run;
  document.body.dataset.run = String(id);
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  errorBox.hidden = true;
  for (const output of [promptOut, findingsOut, sentOut, answerOut, usageOut]) output.replaceChildren();
  setStatus('rendering');
  try {
    const data = anyJson.validateJson(dataInput.value).value;
    const template = Template.compile(templateInput.value, { syntax: syntax.value });
    let prompt;
    try {
      prompt = template.render(data);
    } finally {
      template.free();
    }
    promptOut.textContent = prompt;
    if (marks) performance.mark('bridle:rendered');

    const checked = inputGuard.checkSync(prompt);
    showFindings(checked.findings);
    sentOut.textContent = checked.text;
    if (marks) performance.mark('bridle:guarded');

    setStatus('streaming');
    let deltas = 0;
    for await (const event of model.stream({ prompt: checked.text, signal })) {
      if (id !== run) return;
      if (event.type === 'text-delta') {
        answerOut.append(event.text);
        answerOut.dataset.deltas = String(++deltas);
      } else if (event.type === 'finish') {
        const { inputTokens, outputTokens } = event.usage;
        usageOut.textContent = `finish: ${event.finishReason}, ${inputTokens} input + ${outputTokens} output tokens`;
      }
    }
    if (id === run) setStatus('done');
  } catch (error) {
    if (id !== run) return; // replaced by a newer render, which aborted this stream
    showError(error);
    setStatus('error');
  }
}

async function main() {
  performance.mark('bridle:start');
  try {
    await init(); // fetches the .wasm modules Vite emitted beside the bundle
  } catch (error) {
    showError(error);
    setStatus('error');
    status.textContent = 'Bridle failed to load.';
    return;
  }
  performance.mark('bridle:ready');
  anyJson = compileSchema(true);
  inputGuard = guard([
    checks.pii({ onFail: 'redact' }),
    checks.secrets({ onFail: 'redact' }),
    checks.injection({ onFail: 'warn' }),
  ]);
  model = scripted([{ chunks: ANSWER.match(/\S+\s*/g), chunkDelay: 40 }], { loop: true });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
  });
  renderButton.disabled = false;

  // update() runs synchronously up to the model stream, so the first render is done here.
  const first = update(true);
  if (document.body.dataset.status !== 'error') {
    const load = performance.measure('bridle:init', 'bridle:start', 'bridle:ready').duration;
    performance.measure('bridle:setup', 'bridle:ready', 'bridle:render-start');
    const render = performance.measure('bridle:first-render', 'bridle:render-start', 'bridle:rendered').duration;
    performance.measure('bridle:first-guard', 'bridle:rendered', 'bridle:guarded');
    status.textContent = `Ready: WebAssembly loaded in ${load.toFixed(0)} ms, first render ${render.toFixed(1)} ms.`;
  }
  await first;
}

main();
