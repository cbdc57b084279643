// A RAG answer with citations checked against what was retrieved: retrieve → prompt → the
// model, re-asked until its answer is valid JSON and cites only retrieved documents.
// `model` is any Bridle model; without one, a scripted model plays the part (first citing a
// document it was not given, then correcting itself).

const DOCS = [
  { id: 'm7-specs', text: 'The Model 7 rocket reaches an altitude of 12 km.' },
  { id: 'm7-safety', text: 'The Model 7 must be launched at least 30 m from spectators.' },
  { id: 'm9-specs', text: 'The Model 9 reaches 40 km and needs a licence.' },
  { id: 'returns', text: 'Unopened rockets can be returned within 30 days.' },
];

/** Keyword retrieval: the documents sharing the most words with the question. */
function retrieve({ question }) {
  const words = new Set(question.toLowerCase().match(/\w+/g));
  const scored = DOCS.map((doc) => ({ doc, score: doc.text.toLowerCase().match(/\w+/g).filter((w) => words.has(w)).length }));
  const docs = scored.filter((s) => s.score > 1).sort((a, b) => b.score - a.score).slice(0, 2).map((s) => s.doc);
  return { question, docs };
}

export async function run(bridle, model) {
  const { pipe, assign, reask, guard, Template, scripted } = bridle;
  model ??= scripted([
    '{"answer": "It reaches 12 km.", "citations": ["m7-specs", "m9-specs"]}',
    '{"answer": "The Model 7 reaches 12 km.", "citations": ["m7-specs"]}',
  ]);
  const prompt = Template.compile(
    'Answer from these documents only, as JSON {"answer": "...", "citations": ["<id>", ...]}.\n' +
      '{{#docs}}[{{id}}] {{text}}\n{{/docs}}\nQuestion: {{question}}',
    { syntax: 'mustache' },
  );
  let retrieved = [];
  // The citations must name documents that were retrieved for this question.
  const cited = guard([{
    name: 'citations',
    onFail: 'reask',
    check: (text) => {
      const unknown = (JSON.parse(text).citations ?? []).filter((id) => !retrieved.includes(id));
      return unknown.length ? `cite only the documents given; not ${unknown.join(', ')}` : true;
    },
  }]);
  const schema = { type: 'object', properties: { answer: { type: 'string' }, citations: { type: 'array', items: { type: 'string' }, minItems: 1 } }, required: ['answer', 'citations'] };
  const chain = pipe(
    retrieve,
    assign({ ids: ({ docs }) => { retrieved = docs.map((d) => d.id); return retrieved; } }),
    prompt,
    reask(model, { schema, guards: [cited], maxAttempts: 3 }),
  );
  let attempts = 0;
  const answer = await chain.invoke({ question: 'How high does the Model 7 fly?' }, { trace: (t) => { attempts = findAttempts(t); } });
  return { answer, attempts, retrieved };
}

function findAttempts(span) {
  if (span.kind === 'reask') return span.attributes.attempts.length;
  for (const child of span.children) {
    const found = findAttempts(child);
    if (found) return found;
  }
  return 0;
}
