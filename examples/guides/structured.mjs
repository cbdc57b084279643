import { scripted, compileSchema, JsonStream, repairJson, parseList, parseTagged } from 'bridle';
import { z } from 'zod';

const schema = compileSchema(z.object({ title: z.string(), tags: z.array(z.string()).max(2) }));
const model = scripted([
  { chunks: ['{"title": "Rust', ' for kids", "tags": ["fa', 'st", "safe"]}'] },
  { chunks: ['{"title": "Go", "tags": ["simple", ', '"fast", ', '"garbage-collected"]}'] },
]);

// Partial JSON while the answer streams: one live value, grown in place.
const stream = new JsonStream({ schema });
for await (const chunk of model.stream({ prompt: 'Describe Rust as JSON.' }).textStream) {
  console.log(JSON.stringify(stream.push(chunk).value));
}
console.log(stream.end(), stream.validation.valid);

// A violation is reported as soon as it is certain: stop paying for tokens.
const checked = new JsonStream({ schema });
for await (const chunk of model.stream({ prompt: 'Describe Go as JSON.' }).textStream) {
  const { violation } = checked.push(chunk);
  if (violation) { console.log(`stopped: ${violation.path} ${violation.message}`); break; }
}

// A chatty final answer: extracted, repaired, validated, typed by zod.
console.log(schema.parse('Sure! ```json\n{"title": "Zig", tags: [\'small\',],}\n```'));
const { json, repairs } = repairJson("{name: 'Ada', done: True, // cut off");
console.log(json, repairs.map((repair) => repair.kind).join(', '));

// Lists and tagged sections in prose.
console.log(parseList('Pick one:\n1. Rust\n2. Zig\n3. Go'));
console.log(parseTagged('Thinking... <answer lang="en">12 km</answer>').map(({ tag, attributes, content }) => [tag, attributes, content]));
