// Quick start: compile a prompt template once, render it with data, and see a typed error.
// Run it with `make demo` (or `node examples/node/quickstart.mjs` after `make build`).
import { Template, backend, BridleError } from 'bridle';

const prompt = Template.compile(
  'You are a helpful assistant for {company}.\n' +
    'Answer the question in at most {max_words} words, as JSON like {{"answer": "..."}}.\n\n' +
    'Question: {question}',
);

console.log(`backend: ${backend}`);
console.log(`variables: ${prompt.variables.join(', ')}`);
console.log('--- rendered prompt ---');
console.log(
  prompt.render({ company: 'Acme Rockets', max_words: 50, question: 'How high can the Model 7 fly?' }),
);
console.log('--- a missing variable is a typed error ---');
try {
  prompt.render({ company: 'Acme Rockets' });
} catch (error) {
  if (!(error instanceof BridleError)) throw error;
  console.log(`${error.name} [${error.code}] ${error.message}`);
}
prompt.free();
