import { pipe, assign, reask, toolLoop, Template, scripted } from 'bridle';
import { z } from 'zod';

const DOCS = { m7: 'The Model 7 reaches 12 km.', m5: 'The Model 5 reaches 8 km.' };
const model = scripted([
  'The Model 7 flies up to 12 km.',          // not the JSON asked for: re-asked with the failure
  '{"answer": "12 km", "source": "m7"}',
  { toolCalls: [{ name: 'lookup', input: { id: 'm5' } }] },
  'The Model 5 reaches 8 km.',
]);

// Retrieve, render, then parse and check the answer, re-asking the model while it fails.
const answer = pipe(
  assign({ context: () => Object.entries(DOCS).map(([id, text]) => `[${id}] ${text}`).join('\n') }),
  Template.compile('Answer from:\n{context}\nQuestion: {question}\nReply as JSON: answer, source.'),
  reask(model, { schema: z.object({ answer: z.string(), source: z.enum(['m7', 'm5']) }), maxAttempts: 3 }),
);
for await (const event of answer.stream({ question: 'How high does the Model 7 fly?' })) {
  if (event.type === 'step-start') console.log(`step: ${event.name} (${event.kind})`);
  if (event.type === 'retry') console.log(`re-ask: ${event.failures.join('; ')}`);
  if (event.type === 'final') console.log('final:', event.output);
}

// A tool loop: arguments checked against each tool's schema, calls run, results sent back.
const lookup = { description: 'A document by id', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, execute: ({ id }) => DOCS[id] };
const agent = toolLoop(model, { tools: { lookup }, maxSteps: 3 });
const { text, steps, toolCalls } = await agent.invoke('How high does the Model 5 fly?', {
  trace: (span) => console.log('trace:', span.name, span.status.code, span.usage), // OpenTelemetry fields
});
console.log(text, steps, toolCalls.map(({ name, input, output }) => `${name}(${JSON.stringify(input)}) → ${output}`));
