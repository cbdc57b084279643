// Structured output: a model's answer streams in as JSON; Bridle shows the partial value as it
// grows, stops at the first certain schema violation, and turns a chatty final answer into a
// checked value. Run: node examples/node/structured.mjs
import { JsonStream, compileSchema, backend } from 'bridle';

console.log(`backend: ${backend}`);

const schema = compileSchema({
  type: 'object',
  additionalProperties: false,
  required: ['answer', 'confidence', 'sources'],
  properties: {
    answer: { type: 'string', maxLength: 200 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    sources: { type: 'array', maxItems: 3, items: { type: 'string', format: 'uri' } },
  },
});

/** A stand-in for a model's streamed answer: the text in small chunks, split anywhere. */
function* modelStream(text, size = 7) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

// 1. A good answer: the value grows in place; numbers appear only when complete.
const good = '{"answer": "The Model 7 reaches 12 km. 🚀", "confidence": 0.92, "sources": ["https://acme.example/m7"]}';
const stream = new JsonStream({ schema });
for (const chunk of modelStream(good)) {
  const { value } = stream.push(chunk);
  console.log(`partial: ${JSON.stringify(value)}`);
}
const final = stream.end();
console.log(`final: ${JSON.stringify(final)} valid: ${stream.validation.valid}`);

// 2. A bad answer: the stream knows it is wrong before the answer ends.
const bad = '{"answer": "Sure", "confidence": 0.5, "mood": "chatty", "sources": []}';
const checked = new JsonStream({ schema });
let chunks = 0;
for (const chunk of modelStream(bad)) {
  chunks++;
  const { violation } = checked.push(chunk);
  if (violation) {
    console.log(`stopped after ${chunks} of ${Math.ceil(bad.length / 7)} chunks: ${violation.path || '/'} ${violation.message}`);
    break;
  }
}
checked.free();

// 3. A chatty final answer: extracted from the prose, repaired, validated.
const chatty = 'Here you go!\n```json\n{"answer": "12 km", confidence: 0.8, "sources": [\'https://acme.example/m7\',],}\n```\nAnything else?';
const result = schema.safeParse(chatty);
console.log(`parsed: ${JSON.stringify(result.value)}`);
console.log(`repairs: ${result.repairs.map((r) => `${r.kind}@${r.line}:${r.column}`).join(', ')}`);
