import { loadTokenizer, chatPrompt, estimateTokens } from 'bridle';

// o200k_base, as tiktoken encodes it; in Node the rank table comes from the js-tiktoken package.
const enc = await loadTokenizer('gpt-4o');
const ids = enc.encode('Hello, world!');
console.log(enc.encoding, ids, enc.count('Hello, world!'), enc.decode(ids));
const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How high does the Model 7 fly?' }];
console.log(enc.countMessages(messages), estimateTokens(messages).tokens);

// Pack a RAG prompt into a budget: cut the lowest-priority sections first, report every cut.
const prompt = chatPrompt([
  ['system', 'Answer from:\n{{#docs}}[{{id}}] {{text}}\n{{/docs}}'],
  { placeholder: 'history' },
  ['user', '{{question}}'],
], { syntax: 'mustache' });
const docs = [
  { id: 'specs', text: 'The Model 7 reaches 12 km. Its ceiling is 12 km. Above that the engine starves.' },
  { id: 'record', text: 'A record flight reached 14.2 km in 2024. The crew used oxygen. It lasted three hours.' },
  { id: 'faq', text: 'The Model 7 seats four. It is built in Toulouse. Delivery takes nine months.' },
];
const history = [
  { role: 'user', content: 'Which rockets do you sell?' }, { role: 'assistant', content: 'The Model 5 and the Model 7.' },
  { role: 'user', content: 'Which is faster?' }, { role: 'assistant', content: 'The Model 7.' },
];
const packed = enc.pack({
  prompt, data: { question: 'How high can it fly?', docs, history }, maxTokens: 130, reserve: 20,
  sections: { docs: { trim: 'truncate', priority: 1, keep: 1 }, history: { trim: 'drop-oldest', priority: 2, keep: 1 } },
});
console.log(`${packed.tokens} of ${packed.budget} tokens, fits: ${packed.fits}`);
for (const cut of packed.trimmed) console.log(`${cut.action} ${cut.section}[${cut.index}]: ${cut.tokensBefore} → ${cut.tokensAfter}`);
for (const { role, content } of packed.messages) console.log(`[${role}] ${content}`);
enc.free();
