// Extraction with a schema and re-asking: the model's first answer breaks the schema (an age
// as text, a missing field); the failures go back to it and the second answer passes. Pass a
// zod schema to get zod's types and transforms; a JSON Schema works the same way.

export async function run(bridle, { schema, model } = {}) {
  const { reask, scripted } = bridle;
  schema ??= {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' }, email: { type: 'string', format: 'email' } },
    required: ['name', 'age', 'email'],
    additionalProperties: false,
  };
  model ??= scripted([
    'Sure! ```json\n{"name": "Ada Lovelace", "age": "thirty-six"}\n```',
    '{"name": "Ada Lovelace", "age": 36, "email": "ada@example.com"}',
  ]);
  const extract = reask(model, { schema, maxAttempts: 3, system: 'Extract the person as JSON.' });
  let attempts = [];
  const person = await extract.invoke('Ada Lovelace, 36, writes from ada@example.com', {
    trace: (t) => { attempts = t.attributes.attempts.map((a) => ({ attempt: a.attempt, failures: a.failures })); },
  });
  return { person, attempts };
}
