// Exact token counts and a RAG prompt packed into a budget.
// Run: node examples/node/tokens.mjs  (BRIDLE_BACKEND=native|wasm to pick a backend)
import { backend, loadTokenizer, chatPrompt, estimateTokens } from 'bridle';

// o200k_base (GPT-4o); in Node the rank table comes from the installed js-tiktoken package.
const enc = await loadTokenizer('gpt-4o');
console.log(`backend: ${backend}, encoding: ${enc.encoding}`);
console.log(`"Hello, world!" → [${enc.encode('Hello, world!').join(', ')}]`);

const docs = [
  { id: 'manual', text: 'The Model 7 reaches about 12 km. Its service ceiling is 12 km. Above that the engine starves. Pilots are warned at 11.5 km.' },
  { id: 'record', text: 'A record flight reached 14.2 km in 2024. The crew used supplemental oxygen. The flight lasted three hours.' },
  { id: 'faq', text: 'The Model 7 seats four. It is built in Toulouse. Delivery takes nine months. Financing is available.' },
];
const history = [
  { role: 'user', content: 'Which rockets do you sell?' },
  { role: 'assistant', content: 'The Model 5 and the Model 7.' },
  { role: 'user', content: 'Which is faster?' },
  { role: 'assistant', content: 'The Model 7, at about 900 km/h.' },
];
const prompt = chatPrompt([
  ['system', 'Answer from the documents and cite them.\n{{#docs}}[{{id}}] {{text}}\n{{/docs}}'],
  { placeholder: 'history' },
  ['user', '{{question}}'],
], { syntax: 'mustache' });
const data = { question: 'How high can the Model 7 fly?', docs, history };

const full = enc.pack({ prompt, data, sections: {}, maxTokens: 100_000 });
console.log(`the whole prompt: ${full.tokens} tokens`);

const packed = enc.pack({
  prompt, data, maxTokens: 180, reserve: 40,
  sections: {
    docs: { trim: 'truncate', priority: 1, keep: 1 },
    history: { trim: 'drop-oldest', priority: 2, keep: 1 },
  },
});
console.log(`packed into ${packed.budget} (maxTokens 180 - reserve 40): ${packed.tokens} tokens, fits: ${packed.fits}`);
for (const cut of packed.trimmed) {
  console.log(`  ${cut.action} ${cut.section}[${cut.index}]: ${cut.tokensBefore} → ${cut.tokensAfter} tokens`);
}
for (const message of packed.messages) console.log(`[${message.role}] ${message.content}`);
console.log(`counted again: ${enc.countMessages(packed.messages).tokens} tokens`);
console.log(`estimate without a tokenizer: ${estimateTokens(packed.messages).tokens} tokens (an estimate)`);
enc.free();
