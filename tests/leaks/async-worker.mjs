// Run by async.test.mjs in a child process (node --expose-gc, BRIDLE_BACKEND=native|wasm,
// BRIDLE_LEAK_URL = the provider test server): batches of model calls started all at once
// (half generate, half stream read to the end), every answer checked, memory sampled after each
// batch. On the native backend each call's request and body go through the addon's async HTTP
// client (a napi HttpExchange object per call, driven on its tokio runtime); on wasm through the
// model module's client over fetch. Prints one JSON line.
import * as bridle from 'bridle';
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { sample, wasmMemories } from './measure.mjs';

const CONCURRENT = Number(process.env.BRIDLE_LEAK_CONCURRENT);
const BATCHES = Number(process.env.BRIDLE_LEAK_BATCHES);
const IN_FLIGHT = Number(process.env.BRIDLE_LEAK_IN_FLIGHT);

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason?.stack ?? reason)));

const rng = new Rng(7);
const WORDS = Array.from({ length: 256 }, () => rng.fromAlphabet([...'abcdefghijklmnopqrstuvwxyzé😀'], rng.int(1, 9)));

// Retries stay on (the default 2): a connection the server closes as idle while the client
// reuses it is a network error that the retry policy is there for; the parent counts requests.
const model = bridle.openai({
  model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: `${process.env.BRIDLE_LEAK_URL}/v1`, maxConcurrency: IN_FLIGHT,
});

async function oneCall(batch, i) {
  const prompt = `call ${batch}.${i}: ${WORDS[i & 255]} ${WORDS[(i >> 8) & 255]}`;
  let text;
  if (i % 2 === 0) {
    const completion = await model.generate({ prompt });
    if (completion.finishReason !== 'stop') throw new Error(`finish reason ${completion.finishReason}`);
    text = completion.text;
  } else {
    text = '';
    for await (const delta of model.stream({ prompt }).textStream) text += delta;
  }
  if (text !== `echo: ${prompt}`) throw new Error(`call ${batch}.${i} answered ${JSON.stringify(text)}`);
}

const memories = await wasmMemories();
const before = await sample(memories);
const batches = [];
for (let batch = 0; batch < BATCHES; batch++) {
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: CONCURRENT }, (_, i) => oneCall(batch, i)));
  const ms = performance.now() - started;
  const errors = settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason?.message ?? s.reason));
  batches.push({ ms, ok: settled.length - errors.length, errors: errors.slice(0, 5), errorCount: errors.length, sample: await sample(memories) });
  process.stderr.write(`${bridle.backend} batch ${batch}: ${CONCURRENT} concurrent calls in ${(ms / 1000).toFixed(1)} s, ${errors.length} failed\n`);
}
model.free();
console.log(JSON.stringify({ backend: bridle.backend, concurrent: CONCURRENT, inFlight: IN_FLIGHT, before, batches, unhandled }));
