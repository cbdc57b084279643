// Chains over faulty models, for every provider (model steps stream inside a chain): withRetry
// recovers from a stream dropped mid-answer (which the model itself may not retry) and gives
// up typed; withFallbacks moves on to another provider after persistent 503s, a hang and a
// dropped stream, and fails typed when every step fails; the re-ask loop recovers from an
// answer cut off mid-JSON, fails typed on a dropped stream (and recovers under withRetry), and
// ends in a SchemaError when every answer is cut; the tool loop recovers from a step whose
// connection dropped before the headers, fails typed when a step drops mid-answer, and under
// withRetry starts over (running the tool again); an abort and a timeout end a run typed.
// After each fault the same chain runs again and answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDERS, CALLS, EXPECTED, PERSON, SSE_HEADERS, streamed, goodReply, errorReply, textEvents } from './answers.mjs';
import { startHarness, expectError, bridle, BUG_DROP_AFTER_END } from './harness.mjs';

let h;
const started = Date.now();
before(async () => {
  h = await startHarness();
});
after(async () => {
  h.table.print(`chains over faulty models: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await h.close();
});

const TEXT = EXPECTED.text.text;
const sse = (writes, extra = {}) => ({ headers: SSE_HEADERS, writes, ...extra });
const fast = { attempts: 2, backoff: { initialDelay: 10, jitter: 0 } };

/** Runs a chain, keeping its events; `{ output, error, events, elapsed }`. */
async function invoke(chain, input, options = {}) {
  const events = [];
  const begun = Date.now();
  try {
    const output = await chain.invoke(input, { ...options, onEvent: (event) => events.push(event) });
    return { output, error: null, events, elapsed: Date.now() - begun };
  } catch (error) {
    return { output: null, error, events, elapsed: Date.now() - begun };
  }
}

/** The next run of the same chain answers: the fault server's echo (or `replies`), as `check` expects. */
function runsAgain(chain, input, check = (output) => assert.equal(output, `echo: ${input}`), replies = []) {
  return async () => {
    h.server.reply(...replies);
    const outcome = await invoke(chain, input);
    assert.equal(outcome.error, null, `the run after the fault failed: ${outcome.error?.message}`);
    check(outcome.output);
  };
}

const providersOf = () => h.server.requests.map((r) => r.provider);
const retries = (events) => events.filter((e) => e.type === 'retry');

for (const provider of PROVIDERS) {
  const next = PROVIDERS[(PROVIDERS.indexOf(provider) + 1) % PROVIDERS.length];
  const column = `${provider}`;
  const text = streamed(provider, 'text');
  const firstText = text.texts.findIndex((t) => t !== '');
  const droppedMidAnswer = sse(text.events.slice(0, firstText + 1), { end: 'destroy' });

  // ------------------------------------------------------------------ withRetry

  test(`${provider}: withRetry over a model step whose stream drops mid-answer`, () => h.run('withRetry: stream dropped mid-answer, once', column, async () => {
    h.server.reply(droppedMidAnswer, goodReply(provider, 'stream'));
    const chain = bridle.withRetry(bridle.modelStep(h.model(provider, { maxRetries: 0 })), fast);
    const outcome = await invoke(chain, 'Tell me');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.equal(outcome.output, TEXT);
    assert.equal(h.server.requests.length, 2, 'requests');
    assert.deepEqual(retries(outcome.events).map((e) => [e.attempt, e.error?.code]), [[2, 'network']], 'one retry, after a network error');
    // The deltas of the broken attempt were already out: the chain's events carry both tries.
    const deltas = outcome.events.filter((e) => e.type === 'text-delta').map((e) => e.text).join('');
    assert.equal(deltas, text.texts[firstText] + TEXT, 'text-delta events of both attempts');
    return { outcome: 'answer (2 req)', after: runsAgain(chain, 'again') };
  }));

  test(`${provider}: withRetry gives up typed when every attempt drops mid-answer`, () => h.run('withRetry: stream dropped mid-answer, every attempt', column, async () => {
    h.server.reply(droppedMidAnswer, droppedMidAnswer, droppedMidAnswer);
    const chain = bridle.withRetry(bridle.modelStep(h.model(provider, { maxRetries: 0 })), fast);
    const outcome = await invoke(chain, 'Tell me');
    expectError(outcome, 'NetworkError', 'network');
    assert.equal(h.server.requests.length, 2, 'requests = attempts');
    return { outcome: 'network (2 req)', after: runsAgain(chain, 'again') };
  }));

  test(`${provider}: a model step whose stream drops after its final event ${BUG_DROP_AFTER_END}`, () => h.run('modelStep: connection dropped after the final event', column, async () => {
    h.server.reply(sse(text.events, { end: 'destroy' }), goodReply(provider, 'stream'));
    const chain = bridle.pipe(bridle.modelStep(h.model(provider, { maxRetries: 0 })), (answer) => answer.length);
    const outcome = await invoke(chain, 'Tell me');
    assert.equal(outcome.error, null, `expected the answer, got ${outcome.error?.constructor?.name} (${outcome.error?.code}) — ${outcome.error?.message}`);
    assert.equal(outcome.output, TEXT.length);
    assert.equal(h.server.requests.length, 1, 'requests');
    return { outcome: 'answer (1 req)', after: runsAgain(chain, 'again', (output) => assert.equal(output, 'echo: again'.length)) };
  }));

  // ------------------------------------------------------------------ withFallbacks

  test(`${provider}: withFallbacks to ${next} after persistent 503s`, () => h.run(`withFallbacks: 503 every attempt -> next provider`, column, async () => {
    h.server.reply(errorReply(provider, 503), errorReply(provider, 503), goodReply(next, 'stream'));
    const chain = bridle.withFallbacks([h.model(provider, { maxRetries: 1 }), h.model(next)]);
    const outcome = await invoke(chain, 'Tell me');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.equal(outcome.output, TEXT);
    assert.deepEqual(providersOf(), [provider, provider, next], 'requests: two tries, then the fallback');
    return { outcome: `answer from ${next} (3 req)`, after: runsAgain(chain, 'again') };
  }));

  test(`${provider}: withFallbacks to ${next} after a hang`, () => h.run('withFallbacks: hang -> next provider', column, async () => {
    h.server.reply({ hang: true }, goodReply(next, 'stream'));
    const chain = bridle.withFallbacks([h.model(provider, { maxRetries: 0 }), h.model(next)]);
    const outcome = await invoke(chain, 'Tell me');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.equal(outcome.output, TEXT);
    assert.deepEqual(providersOf(), [provider, next]);
    assert.ok(outcome.elapsed >= 290 && outcome.elapsed < 300 + 800, `fell back after ${outcome.elapsed} ms`);
    return { outcome: `answer from ${next}`, after: runsAgain(chain, 'again') };
  }));

  test(`${provider}: withFallbacks to ${next} after a stream dropped mid-answer`, () => h.run('withFallbacks: dropped mid-answer -> next provider', column, async () => {
    h.server.reply(droppedMidAnswer, goodReply(next, 'stream'));
    const chain = bridle.withFallbacks([h.model(provider), h.model(next)]);
    const outcome = await invoke(chain, 'Tell me');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.equal(outcome.output, TEXT);
    assert.deepEqual(providersOf(), [provider, next], 'no retry of the broken stream, then the fallback');
    return { outcome: `answer from ${next}`, after: runsAgain(chain, 'again') };
  }));

  test(`${provider}: withFallbacks when every step fails`, () => h.run('withFallbacks: every step fails', column, async () => {
    h.server.reply(errorReply(provider, 503), errorReply(next, 429));
    const chain = bridle.withFallbacks([h.model(provider, { maxRetries: 0 }), h.model(next, { maxRetries: 0 })]);
    const outcome = await invoke(chain, 'Tell me');
    // The last step's error.
    const error = expectError(outcome, 'RateLimitError', 'rate_limit');
    assert.equal(error.details.provider, next);
    assert.deepEqual(providersOf(), [provider, next]);
    return { outcome: 'rate_limit (last step\'s)', after: runsAgain(chain, 'again') };
  }));

  // ------------------------------------------------------------------ reask

  const ada = JSON.stringify({ name: 'Ada', age: 36 });
  const isAda = (output) => assert.deepEqual(output, { name: 'Ada', age: 36 });
  const cutJson = ['{"name": ', '"Ada", "ag'];

  test(`${provider}: reask after an answer cut off mid-JSON (finish: length)`, () => h.run('reask: answer cut off mid-JSON, once', column, async () => {
    h.server.reply(sse(textEvents(provider, cutJson, { cutOff: true })), sse(textEvents(provider, [ada.slice(0, 10), ada.slice(10)])));
    const chain = bridle.reask(h.model(provider), { schema: PERSON, maxAttempts: 3 });
    const outcome = await invoke(chain, 'Who?');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.deepEqual(outcome.output, { name: 'Ada', age: 36 });
    assert.equal(h.server.requests.length, 2, 'requests');
    assert.equal(retries(outcome.events).length, 1, 'one re-ask');
    assert.match(JSON.stringify(h.server.requests[1].body), /Your answer could not be accepted/, 'the re-ask message was sent');
    return { outcome: 'object (2 req)', after: runsAgain(chain, 'Who?', isAda, [sse(textEvents(provider, [ada]))]) };
  }));

  test(`${provider}: reask when every answer is cut off mid-JSON`, () => h.run('reask: answer cut off mid-JSON, every attempt', column, async () => {
    const cut = sse(textEvents(provider, cutJson, { cutOff: true }));
    h.server.reply(cut, cut, cut);
    const chain = bridle.reask(h.model(provider), { schema: PERSON, maxAttempts: 3 });
    const outcome = await invoke(chain, 'Who?');
    const error = expectError(outcome, 'SchemaError', 'schema');
    assert.equal(error.details.attempts.length, 3, 'details.attempts');
    assert.equal(h.server.requests.length, 3, 'requests');
    return { outcome: 'schema (3 req)', after: runsAgain(chain, 'Who?', isAda, [sse(textEvents(provider, [ada]))]) };
  }));

  test(`${provider}: reask over a stream dropped mid-JSON fails typed; under withRetry it recovers`, () => h.run('reask: stream dropped mid-JSON (bare, then withRetry)', column, async () => {
    const events = textEvents(provider, [ada.slice(0, 10), ada.slice(10)]);
    // Dropped right after the event with the first piece of the JSON.
    const dropped = sse(events.slice(0, events.findIndex((e) => e.includes('\\"name')) + 1), { end: 'destroy' });
    h.server.reply(dropped);
    const bare = bridle.reask(h.model(provider), { schema: PERSON });
    const failed = await invoke(bare, 'Who?');
    expectError(failed, 'NetworkError', 'network');
    assert.equal(h.server.requests.length, 1, 'the re-ask loop does not retry a transport failure');
    h.server.reset();
    h.server.reply(dropped, sse(events));
    const retried = bridle.withRetry(bare, fast);
    const outcome = await invoke(retried, 'Who?');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.deepEqual(outcome.output, { name: 'Ada', age: 36 });
    assert.equal(h.server.requests.length, 2, 'requests');
    return { outcome: 'network, then object (2 req)', after: runsAgain(bare, 'Who?', isAda, [sse(events)]) };
  }));

  // ------------------------------------------------------------------ toolLoop

  const toolAnswer = streamed(provider, 'tool');
  const loop = (runs, options = {}) => bridle.toolLoop(h.model(provider, options), {
    tools: {
      weather: {
        description: 'The weather in a city',
        parameters: CALLS.tool.tools[0].parameters,
        execute: ({ city }) => {
          runs.push(city);
          return `18C in ${city}`;
        },
      },
    },
    maxSteps: 4,
  });

  test(`${provider}: a tool loop whose second step drops before the headers`, () => h.run('toolLoop: step 2 dropped before headers', column, async () => {
    h.server.reply(sse(toolAnswer.events), { drop: true }, goodReply(provider, 'stream'));
    const runs = [];
    const chain = loop(runs);
    const outcome = await invoke(chain, 'Weather in Lima?');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.equal(outcome.output.text, TEXT);
    assert.deepEqual([outcome.output.steps, outcome.output.stoppedBy], [2, 'answer']);
    assert.deepEqual(runs, ['Lima'], 'the tool ran once');
    assert.equal(h.server.requests.length, 3, 'requests: step 1, step 2 twice');
    return { outcome: 'answer (3 req, tool ran once)', after: runsAgain(chain, 'again', (output) => assert.equal(output.text, 'echo: again')) };
  }));

  test(`${provider}: a tool loop whose second step drops mid-answer; under withRetry it starts over`, () => h.run('toolLoop: step 2 dropped mid-answer (bare, then withRetry)', column, async () => {
    h.server.reply(sse(toolAnswer.events), droppedMidAnswer);
    const runs = [];
    const bare = loop(runs);
    const failed = await invoke(bare, 'Weather in Lima?');
    expectError(failed, 'NetworkError', 'network');
    assert.deepEqual(runs, ['Lima']);
    assert.equal(h.server.requests.length, 2, 'requests');
    h.server.reset();
    runs.length = 0;
    h.server.reply(sse(toolAnswer.events), droppedMidAnswer, sse(toolAnswer.events), goodReply(provider, 'stream'));
    const outcome = await invoke(bridle.withRetry(bare, fast), 'Weather in Lima?');
    assert.equal(outcome.error, null, outcome.error?.message);
    assert.equal(outcome.output.text, TEXT);
    // The loop starts over: the tool runs again (its effects are the caller's to make idempotent).
    assert.deepEqual(runs, ['Lima', 'Lima'], 'the tool ran in both tries');
    assert.equal(h.server.requests.length, 4, 'requests');
    return { outcome: 'network, then answer (tool ran twice)', after: runsAgain(bare, 'again', (output) => assert.equal(output.text, 'echo: again')) };
  }));

  // ------------------------------------------------------------------ abort and timeout

  test(`${provider}: a chain run aborted while its model hangs`, () => h.run('chain: aborted while the model hangs', column, async () => {
    h.server.reply({ hang: true });
    const chain = bridle.pipe(bridle.modelStep(h.model(provider, { timeout: 5000 })), (answer) => answer.toUpperCase());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await invoke(chain, 'Tell me', { signal: controller.signal });
    expectError(outcome, 'AbortedError', 'aborted');
    assert.ok(outcome.elapsed >= 95 && outcome.elapsed < 100 + 800, `aborted after ${outcome.elapsed} ms`);
    return { outcome: 'aborted', after: runsAgain(chain, 'again', (output) => assert.equal(output, 'ECHO: AGAIN')) };
  }));

  test(`${provider}: a chain whose model never answers`, () => h.run('chain: model hangs past its timeout', column, async () => {
    h.server.reply({ hang: true }, { hang: true });
    const chain = bridle.pipe(bridle.modelStep(h.model(provider)), (answer) => answer.toUpperCase());
    const outcome = await invoke(chain, 'Tell me');
    const error = expectError(outcome, 'TimeoutError', 'timeout');
    assert.equal(error.details.attempts, 2, 'attempts');
    assert.ok(outcome.elapsed >= 600 && outcome.elapsed < 620 + 800, `failed after ${outcome.elapsed} ms`);
    return { outcome: 'timeout (2 req)', after: runsAgain(chain, 'again', (output) => assert.equal(output, 'ECHO: AGAIN')) };
  }));
}
