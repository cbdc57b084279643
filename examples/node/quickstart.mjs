// Quick start: compile a prompt template once, render it with data, see a typed error, then
// send the prompt to a model and stream its answer with the usage.
// Run it with `make demo` (or `node examples/node/quickstart.mjs` after `make build`).
//
// The model: OpenAI (or any compatible server) when OPENAI_API_KEY or OPENAI_BASE_URL is set
// (OPENAI_MODEL names the model), Anthropic when ANTHROPIC_API_KEY is set (ANTHROPIC_MODEL),
// and otherwise Bridle's scripted model, which needs no key and no network.
import { Template, backend, BridleError, openai, anthropic, scripted } from 'bridle';

const prompt = Template.compile(
  'You are a helpful assistant for {company}.\n' +
    'Answer the question in at most {max_words} words, as JSON like {{"answer": "..."}}.\n\n' +
    'Question: {question}',
);

console.log(`backend: ${backend}`);
console.log(`variables: ${prompt.variables.join(', ')}`);
console.log('--- rendered prompt ---');
const text = prompt.render({ company: 'Acme Rockets', max_words: 50, question: 'How high can the Model 7 fly?' });
console.log(text);
console.log('--- a missing variable is a typed error ---');
try {
  prompt.render({ company: 'Acme Rockets' });
} catch (error) {
  if (!(error instanceof BridleError)) throw error;
  console.log(`${error.name} [${error.code}] ${error.message}`);
}
prompt.free();

function chooseModel() {
  const env = process.env;
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    return { model: openai({ model: env.OPENAI_MODEL || 'gpt-4o-mini' }), why: env.OPENAI_BASE_URL ? `OPENAI_BASE_URL=${env.OPENAI_BASE_URL}` : 'OPENAI_API_KEY' };
  }
  if (env.ANTHROPIC_API_KEY) {
    return { model: anthropic({ model: env.ANTHROPIC_MODEL || 'claude-sonnet-4-5' }), why: 'ANTHROPIC_API_KEY' };
  }
  const answer = '{"answer": "The Model 7 reaches about 12 km, its service ceiling; its record flight reached 14.2 km."}';
  return {
    model: scripted([{ text: answer, chunkDelay: 25, usage: { inputTokens: 42, outputTokens: 27 } }]),
    why: 'no OPENAI_API_KEY, OPENAI_BASE_URL or ANTHROPIC_API_KEY set',
  };
}

const { model, why } = chooseModel();
console.log(`--- the answer from ${model.provider} model ${model.modelId} (${why}) ---`);
try {
  const stream = model.stream({ messages: [{ role: 'user', content: text }], maxTokens: 200, timeout: 30_000 });
  for await (const piece of stream.textStream) process.stdout.write(piece);
  const { usage, finishReason } = await stream.result;
  process.stdout.write('\n');
  console.log(`usage: ${usage.inputTokens} input + ${usage.outputTokens} output = ${usage.totalTokens} tokens (finish: ${finishReason})`);
} catch (error) {
  if (!(error instanceof BridleError)) throw error;
  // Model errors are typed too: auth, rate_limit, network, timeout...
  console.log(`\n${error.name} [${error.code}] ${error.message}`);
  process.exitCode = 1;
} finally {
  model.free();
}
