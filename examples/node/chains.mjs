// Chains with the scripted model: a RAG answer with checked citations, an extraction with a
// zod schema and re-asking, and a tool-using agent whose tool arguments pass a guard.
// Run it with `node examples/node/chains.mjs` after `make build`.
import * as bridle from 'bridle';
import { z } from 'zod';
import { run as rag } from '../chains/rag.mjs';
import { run as extract } from '../chains/extract.mjs';
import { run as agent } from '../chains/agent.mjs';

console.log(`backend: ${bridle.backend}`);
const answer = await rag(bridle);
console.log(`rag: ${JSON.stringify(answer.answer)} after ${answer.attempts} attempts (retrieved ${answer.retrieved.join(', ')})`);
const person = z.object({ name: z.string(), age: z.number().int(), email: z.string().email() }).strict();
const extracted = await extract(bridle, { schema: person });
console.log(`extract: ${JSON.stringify(extracted.person)}`);
for (const { attempt, failures } of extracted.attempts) console.log(`  attempt ${attempt}: ${failures.length ? failures.join('; ') : 'accepted'}`);
const agentRun = await agent(bridle);
console.log(`agent: ${agentRun.text} (${agentRun.steps} model calls)`);
for (const line of agentRun.toolResults) console.log(`  ${line}`);
console.log(`  side effects: ${agentRun.sideEffects.length ? agentRun.sideEffects.join(', ') : 'none'}`);
