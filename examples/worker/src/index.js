// A Cloudflare Worker built on Bridle: a prompt template, guardrails on posted text,
// structured output checked against a schema, and a small RAG chain. The model is Bridle's
// scripted model (no key, no network); swap in `openai({ apiKey: env.OPENAI_API_KEY, ... })`
// for a real one. `import ... from 'bridle'` picks the package's `workerd` entry, which
// imports its .wasm files as compiled modules: no init() call is needed.
import { Template, compileSchema, guard, checks, reask, pipe, scripted, BridleError, GuardError } from 'bridle';

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
  const route = `${request.method} ${url.pathname}`;

  // A template render: the typed error of a missing variable becomes a 400.
  if (route === 'GET /render') {
    return new Response(greeting.render({ name: url.searchParams.get('name') ?? undefined }), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }

  // Guardrails on posted text: secrets and injection block, personal data is redacted.
  if (route === 'POST /guard') {
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
  if (route === 'POST /extract') {
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
  if (route === 'GET /ask') {
    const model = scripted(['Here you go:\n```json\n{"answer": "The Model 7 reaches 12 km.", citations: ["m7-specs",],}\n```']);
    const chain = pipe(retrieve, ragPrompt, model, answerSchema);
    const answer = await chain.invoke({ question: url.searchParams.get('question') ?? '' });
    return json({ answer, prompt: model.calls[0].messages.at(-1).content });
  }

  return json({ error: 'not_found', routes: ['GET /render?name=', 'POST /guard', 'POST /extract', 'GET /ask?question='] }, 404);
}

export default {
  async fetch(request) {
    try {
      return await handle(request);
    } catch (error) {
      if (!(error instanceof BridleError)) throw error;
      return json({ error: error.code, message: error.message }, 400);
    }
  },
};
