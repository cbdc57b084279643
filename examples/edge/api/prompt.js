// A Vercel Edge Function built on Bridle: a prompt template, guardrails on posted text,
// structured output checked against a schema, and a small RAG chain, picked by `?task=`.
// The model is Bridle's scripted model (no key, no network); swap in
// `openai({ apiKey: process.env.OPENAI_API_KEY, ... })` for a real one.
//
// At the edge `bridle` resolves to its web entry (the `edge-light` condition), which needs its
// WebAssembly loaded before the first call. Edge runtimes refuse to compile WebAssembly from
// bytes at run time, so the modules are imported compiled (`.wasm?module`: Vercel binds each
// one at deploy time) and instantiated synchronously with initSync, once per isolate.
// Vercel's bundler recognises only specifiers ending in `.wasm?module`, so the files are named
// by their paths (`bridle/wasm/<file>.wasm`, which the package exports). The tokenizer module
// is left out: this function counts no tokens (pass bridle_tokens_bg.wasm fourth if yours does).
import { initSync, Template, compileSchema, guard, checks, reask, pipe, scripted, BridleError, GuardError } from 'bridle';
import mainModule from 'bridle/wasm/bridle_wasm_bg.wasm?module';
import guardModule from 'bridle/wasm/bridle_guard_bg.wasm?module';
import modelModule from 'bridle/wasm/bridle_model_bg.wasm?module';

export const config = { runtime: 'edge' };

initSync(mainModule, guardModule, modelModule);

// Compiled once per isolate, reused by every request.
const greeting = Template.compile('You are the support assistant of Acme Rockets.\nGreet {name} and ask how you can help.');

const inputGuard = guard([
  checks.secrets({ onFail: 'block' }),
  checks.injection({ onFail: 'block' }),
  checks.pii({ onFail: 'redact' }),
  checks.unicode({ onFail: 'fix' }),
]);

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' }, email: { type: 'string', format: 'email' } },
  required: ['name', 'age', 'email'],
  additionalProperties: false,
};

const DOCS = [
  { id: 'm7-specs', text: 'The Model 7 rocket reaches an altitude of 12 km.' },
  { id: 'm7-safety', text: 'The Model 7 must be launched at least 30 m from spectators.' },
  { id: 'returns', text: 'Unopened rockets can be returned within 30 days.' },
];
// Jinja here: its `{{ }}` never clash with the JSON braces of the instructions.
const ragPrompt = Template.compile(
  'Answer from these documents only, as JSON {"answer": "...", "citations": ["<id>"]}.\n' +
    '{% for doc in docs %}[{{ doc.id }}] {{ doc.text }}\n{% endfor %}Question: {{ question }}',
  { syntax: 'jinja' },
);
const answerSchema = compileSchema({
  type: 'object',
  properties: { answer: { type: 'string' }, citations: { type: 'array', items: { enum: DOCS.map((d) => d.id) }, minItems: 1 } },
  required: ['answer', 'citations'],
});

/** Keyword retrieval: the documents sharing at least two words with the question. */
function retrieve({ question }) {
  const words = new Set(question.toLowerCase().match(/\w+/g));
  const docs = DOCS.filter((doc) => doc.text.toLowerCase().match(/\w+/g).filter((w) => words.has(w)).length > 1);
  return { question, docs };
}

const json = (value, status = 200) => Response.json(value, { status });

async function handle(request) {
  const url = new URL(request.url);
  const task = `${request.method} ${url.searchParams.get('task')}`;

  // A template render: the typed error of a missing variable becomes a 400.
  if (task === 'GET render') {
    return new Response(greeting.render({ name: url.searchParams.get('name') ?? undefined }), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }

  // Guardrails on posted text: secrets and injection block, personal data is redacted.
  if (task === 'POST guard') {
    try {
      const result = await inputGuard.check(await request.text());
      return json({
        ok: result.ok,
        text: result.text,
        findings: result.findings.map(({ check, type, start, end }) => ({ check, type, start, end })),
        failures: result.failures.map(({ check, action }) => ({ check, action })),
      });
    } catch (error) {
      if (!(error instanceof GuardError)) throw error;
      return json({ blocked: true, failures: error.details.failures.map(({ check, action, message }) => ({ check, action, message })) }, 422);
    }
  }

  // Structured output: the model's answer is extracted, repaired, checked against the
  // schema, and re-asked with the failures until it passes.
  if (task === 'POST extract') {
    const model = scripted([
      'Sure! ```json\n{"name": "Ada Lovelace", "age": "thirty-six"}\n```',
      '{"name": "Ada Lovelace", "age": 36, "email": "ada@example.com"}',
    ]);
    let attempts = [];
    const value = await reask(model, { schema: person, maxAttempts: 3, system: 'Extract the person as JSON.' }).invoke(await request.text(), {
      trace: (span) => { attempts = span.attributes.attempts.map(({ attempt, failures }) => ({ attempt, failures })); },
    });
    return json({ person: value, attempts });
  }

  // A chain: retrieve → prompt → model → parse (a chatty, slightly broken answer is repaired).
  if (task === 'GET ask') {
    const model = scripted(['Here you go:\n```json\n{"answer": "The Model 7 reaches 12 km.", citations: ["m7-specs",],}\n```']);
    const chain = pipe(retrieve, ragPrompt, model, answerSchema);
    const answer = await chain.invoke({ question: url.searchParams.get('question') ?? '' });
    return json({ answer, prompt: model.calls[0].messages.at(-1).content });
  }

  return json({ error: 'not_found', tasks: ['GET ?task=render&name=', 'POST ?task=guard', 'POST ?task=extract', 'GET ?task=ask&question='] }, 404);
}

export default async function handler(request) {
  try {
    return await handle(request);
  } catch (error) {
    if (!(error instanceof BridleError)) throw error;
    return json({ error: error.code, message: error.message }, 400);
  }
}
