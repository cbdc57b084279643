// Transport faults, for every provider, streamed and not: the connection dropped before the
// headers, after them, after each event of a stream (every N, the final event included) and
// inside an event; bodies cut short (a Content-Length never honoured, a chunked body broken
// off, a clean end after half the JSON); truncated JSON inside an SSE event; streams that end
// cleanly before the provider's end event. Each case asserts the exact outcome — the whole
// answer, or the typed error with its code and attempts — the requests the server saw, that
// nothing hangs, and that the model answers the next call.
//
// The rule the stream cases hold Bridle to (docs/models.md): a stream is retried only while no
// event reached the caller; after that a broken connection is a NetworkError and a clean end
// before the answer is complete a BadResponseError with `details.text`; and a connection that
// breaks once the answer is complete changes nothing — the caller gets the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { PROVIDERS, CALLS, EXPECTED, SSE_HEADERS, streamed, body, goodReply, cutOffObject } from './answers.mjs';
import { startHarness, callModel, expectAnswer, expectError, streamedText, echoesAfter, describeOutcome, BUG_DROP_AFTER_END } from './harness.mjs';

let h;
const started = Date.now();
before(async () => {
  h = await startHarness();
  // Rows in reading order: the stream sweeps have a different length per provider.
  const longest = Math.max(...PROVIDERS.map((p) => streamed(p, 'text').events.length));
  const upTo = (n, label) => Array.from({ length: n }, (_, i) => label(i));
  h.table.declare([
    ...['text', 'tool', 'object'].map((kind) => `drop before headers, once (${kind})`),
    'drop before headers, every attempt', 'drop after headers, once',
    ...upTo(longest - 2, (i) => `stream: drop after event ${i + 1}`),
    'stream: drop just before the final event', 'stream: drop after the final event',
    'stream: drop after the final event (tool)', 'stream: drop after the final event (object)',
    'stream: drop inside the second text event', 'stream: drop inside the final event',
    ...upTo(longest - 1, (i) => `stream: clean end after event ${i}`),
    'stream: clean end just before the final event',
  ]);
});
after(async () => {
  h.table.print(`transport faults: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await h.close();
});

const sse = (writes, extra = {}) => ({ headers: SSE_HEADERS, writes, ...extra });
const bytes = (text) => Buffer.from(text, 'utf8');

/**
 * What a stream that stops after its first `n` events must give, by how it stops ('destroy':
 * the connection dropped; 'end': a clean end). `answer.retried` when the stop came before any
 * event reached the caller and a good reply waits behind it.
 */
function expectedAfter(answer, n, ending) {
  if (n > answer.completeAt) return { answer: true, usage: n > answer.usageAt, requests: 1 };
  const delivered = answer.content.slice(0, n).some(Boolean);
  if (!delivered && ending === 'destroy') return { answer: true, usage: true, requests: 2 };
  return {
    error: ending === 'destroy' ? ['NetworkError', 'network'] : ['BadResponseError', 'bad_response'],
    text: answer.texts.slice(0, n).join(''),
    requests: 1,
  };
}

/** Asserts a stream's outcome against expectedAfter(). */
function checkStopped(outcome, expected, kind = 'text') {
  if (expected.answer) {
    if (expected.usage) {
      expectAnswer(outcome, kind);
    } else {
      // The answer without the usage chunk that never came.
      assert.equal(outcome.error, null, `expected the answer, got ${outcome.error?.constructor?.name} (${outcome.error?.code}) — ${outcome.error?.message}`);
      assert.equal(outcome.completion.text, EXPECTED[kind].text);
      assert.equal(outcome.completion.finishReason, EXPECTED[kind].finishReason);
      assert.deepEqual(outcome.completion.usage, { inputTokens: null, outputTokens: null, totalTokens: null });
      assert.equal(streamedText(outcome.events), EXPECTED[kind].text);
      assert.equal(outcome.events.at(-1).type, 'finish');
    }
    return;
  }
  const error = expectError(outcome, ...expected.error);
  // Once events reached the caller there is no retry; the caller has the text so far.
  assert.equal(error.details.attempts, 1, 'attempts: no retry');
  assert.equal(streamedText(outcome.events), expected.text, 'the text events before the fault');
  assert.ok(!outcome.events.some((e) => e.type === 'finish'), 'no finish event');
  // Whatever the error, once text reached the caller the error carries it too.
  if (error.code === 'bad_response' || outcome.events.length > 0) assert.equal(error.details.text, expected.text, 'details.text holds what came');
}

for (const provider of PROVIDERS) {
  const column = (mode) => `${provider}/${mode}`;

  // ------------------------------------------------------------------------ both modes

  for (const mode of ['stream', 'generate']) {
    for (const kind of ['text', 'tool', 'object']) {
      test(`${provider} ${mode}: the connection dropped before the headers, then a good reply (${kind})`, () => h.run(`drop before headers, once (${kind})`, column(mode), async () => {
        h.server.reply({ drop: true }, goodReply(provider, mode, kind));
        const model = h.model(provider);
        const outcome = await callModel(model, mode, CALLS[kind]);
        expectAnswer(outcome, kind);
        assert.equal(h.server.requests.length, 2, 'requests');
        assert.deepEqual(h.server.requests.map((r) => r.schemaErrors), [[], []], 'both requests valid');
        return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, mode) };
      }));
    }

    test(`${provider} ${mode}: the connection dropped before the headers on every attempt`, () => h.run('drop before headers, every attempt', column(mode), async () => {
      h.server.reply({ drop: true }, { drop: true }, { drop: true }, { drop: true });
      const model = h.model(provider, { maxRetries: 2 });
      const outcome = await callModel(model, mode, CALLS.text);
      const error = expectError(outcome, 'NetworkError', 'network');
      assert.equal(error.details.attempts, 3, 'attempts = 1 + maxRetries');
      assert.equal(h.server.requests.length, 3, 'requests');
      return { outcome: describeOutcome(outcome, 3), after: echoesAfter(model, mode) };
    }));

    test(`${provider} ${mode}: the connection dropped after the headers, before any byte of the body`, () => h.run('drop after headers, once', column(mode), async () => {
      const headers = mode === 'stream' ? { headers: SSE_HEADERS } : { contentLength: Buffer.byteLength(body(provider, 'text')) };
      h.server.reply({ ...headers, writes: [], end: 'destroy' }, goodReply(provider, mode));
      const model = h.model(provider);
      const outcome = await callModel(model, mode, CALLS.text);
      expectAnswer(outcome, 'text');
      assert.equal(h.server.requests.length, 2, 'requests');
      return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, mode) };
    }));

    // Not a transport fault but its twin: the answer arrived whole, its JSON did not. Typed,
    // with the completion kept; not retried (the same request would be cut the same way).
    test(`${provider} ${mode}: a structured answer cut off mid-JSON by the token limit`, () => h.run('structured answer cut off mid-JSON (length)', column(mode), async () => {
      h.server.reply(cutOffObject(provider, mode), goodReply(provider, mode, 'object'));
      const model = h.model(provider);
      const outcome = await callModel(model, mode, CALLS.object);
      const error = expectError(outcome, 'SchemaError', 'schema');
      assert.equal(error.details.completion.finishReason, 'length', 'details.completion.finishReason');
      assert.match(error.details.errors[0].message, /age/, 'the missing property');
      assert.equal(error.details.attempts, 1, 'attempts');
      assert.equal(h.server.requests.length, 1, 'requests');
      return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, mode) };
    }));
  }

  // ------------------------------------------------------------------------ streams

  const text = streamed(provider, 'text');
  const count = text.events.length;
  for (let n = 1; n <= count; n++) {
    const where = n === count ? `after the final event (${n}/${count})` : n === count - 1 ? `just before the final event (${n}/${count})` : `after event ${n}/${count}`;
    const row = n === count ? 'stream: drop after the final event' : n === count - 1 ? 'stream: drop just before the final event' : `stream: drop after event ${n}`;
    const expected = expectedAfter(text, n, 'destroy');
    const bug = expected.answer && expected.requests === 1 ? ` ${BUG_DROP_AFTER_END}` : '';
    test(`${provider} stream: the connection dropped ${where}${bug}`, () => h.run(row, column('stream'), async () => {
      h.server.reply(sse(text.events.slice(0, n), { end: 'destroy' }), goodReply(provider, 'stream'));
      const model = h.model(provider);
      const outcome = await callModel(model, 'stream', CALLS.text);
      checkStopped(outcome, expected);
      assert.equal(h.server.requests.length, expected.requests, 'requests');
      return { outcome: describeOutcome(outcome, expected.requests), after: echoesAfter(model, 'stream') };
    }));
  }

  for (let n = 0; n < count; n++) {
    const row = n === count - 1 ? 'stream: clean end just before the final event' : `stream: clean end after event ${n}`;
    test(`${provider} stream: a clean end after event ${n}/${count}, without the provider's end`, () => h.run(row, column('stream'), async () => {
      const expected = expectedAfter(text, n, 'end');
      h.server.reply(sse(text.events.slice(0, n)), goodReply(provider, 'stream'));
      const model = h.model(provider);
      const outcome = await callModel(model, 'stream', CALLS.text);
      checkStopped(outcome, expected);
      assert.equal(h.server.requests.length, expected.requests, 'requests');
      return { outcome: describeOutcome(outcome, expected.requests), after: echoesAfter(model, 'stream') };
    }));
  }

  for (const kind of ['tool', 'object']) {
    const answer = streamed(provider, kind);
    test(`${provider} stream: the connection dropped after the final event of a ${kind} answer ${BUG_DROP_AFTER_END}`, () => h.run(`stream: drop after the final event (${kind})`, column('stream'), async () => {
      h.server.reply(sse(answer.events, { end: 'destroy' }));
      const model = h.model(provider, { maxRetries: 0 });
      const outcome = await callModel(model, 'stream', CALLS[kind]);
      expectAnswer(outcome, kind);
      assert.equal(h.server.requests.length, 1, 'requests');
      return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, 'stream') };
    }));
  }

  // Cut inside an event's bytes: the second text event, and the final event. Offsets are seeded.
  const rng = new Rng(0xfa17 + PROVIDERS.indexOf(provider));
  const secondText = text.texts.findIndex((t, i) => t !== '' && text.texts.slice(0, i).some((u) => u !== ''));
  for (const [label, index] of [['the second text event', secondText], ['the final event', count - 1]]) {
    const event = bytes(text.events[index]);
    const cut = rng.int(1, event.length - 2);
    const expected = expectedAfter(text, index, 'destroy');
    // OpenAI's final event is `[DONE]`, after the answer was complete.
    const bug = expected.answer ? ` ${BUG_DROP_AFTER_END}` : '';
    test(`${provider} stream: the connection dropped inside ${label} (byte ${cut} of ${event.length})${bug}`, () => h.run(`stream: drop inside ${label}`, column('stream'), async () => {
      const before = Buffer.concat(text.events.slice(0, index).map(bytes));
      h.server.reply(sse([before, event.subarray(0, cut)], { end: 'destroy' }));
      const model = h.model(provider);
      const outcome = await callModel(model, 'stream', CALLS.text);
      checkStopped(outcome, expected);
      assert.equal(h.server.requests.length, 1, 'requests');
      return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, 'stream') };
    }));
  }

  // Truncated JSON inside an event: the first event that carries text, the one after it, and
  // the last event with JSON (OpenAI's [DONE] is not JSON, so its usage chunk).
  const firstText = text.texts.findIndex((t) => t !== '');
  const lastJson = provider === 'openai' ? count - 2 : count - 1;
  for (const [label, index] of [['the first text event', firstText], ['the second text event', secondText], ['the last JSON event', lastJson]]) {
    test(`${provider} stream: truncated JSON in ${label}`, () => h.run(`stream: truncated JSON in ${label}`, column('stream'), async () => {
      const event = text.events[index];
      const data = event.indexOf('data: ') + 'data: '.length;
      const eol = provider === 'gemini' ? '\r\n' : '\n';
      const json = event.slice(data).trimEnd();
      const broken = `${event.slice(0, data)}${json.slice(0, Math.floor(json.length / 2))}${eol}${eol}`;
      h.server.reply(sse([...text.events.slice(0, index), broken, ...text.events.slice(index + 1)]), goodReply(provider, 'stream'));
      const model = h.model(provider);
      const outcome = await callModel(model, 'stream', CALLS.text);
      const error = expectError(outcome, 'BadResponseError', 'bad_response');
      // A malformed answer is not retried, whether or not events came before it.
      assert.equal(error.details.attempts, 1, 'attempts: no retry');
      assert.equal(h.server.requests.length, 1, 'requests');
      assert.equal(streamedText(outcome.events), text.texts.slice(0, index).join(''), 'the text before the bad event');
      assert.ok(!outcome.events.some((e) => e.type === 'finish'), 'no finish event');
      return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, 'stream') };
    }));
  }

  // ------------------------------------------------------------------------ bodies

  const json = body(provider, 'text');
  const length = Buffer.byteLength(json);
  for (const [label, cut] of [['after 1 byte', 1], ['halfway', Math.floor(length / 2)], ['1 byte short', length - 1]]) {
    test(`${provider} generate: Content-Length ${length}, the connection dropped ${label}, then a good reply`, () => h.run(`body: Content-Length unmet, dropped ${label}`, column('generate'), async () => {
      h.server.reply({ writes: [bytes(json).subarray(0, cut)], contentLength: length, end: 'destroy' }, goodReply(provider, 'generate'));
      const model = h.model(provider);
      const outcome = await callModel(model, 'generate', CALLS.text);
      expectAnswer(outcome, 'text');
      assert.equal(h.server.requests.length, 2, 'requests');
      return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, 'generate') };
    }));

    test(`${provider} generate: a body cut ${label} with a Content-Length that matches the cut`, () => h.run(`body: clean end, JSON cut ${label}`, column('generate'), async () => {
      const cutBody = bytes(json).subarray(0, cut);
      h.server.reply({ writes: [cutBody], contentLength: cutBody.length }, goodReply(provider, 'generate'));
      const model = h.model(provider);
      const outcome = await callModel(model, 'generate', CALLS.text);
      const error = expectError(outcome, 'BadResponseError', 'bad_response');
      assert.equal(error.details.attempts, 1, 'not retried');
      assert.equal(h.server.requests.length, 1, 'requests');
      return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, 'generate') };
    }));
  }

  test(`${provider} generate: a chunked body broken off halfway, then a good reply`, () => h.run('body: chunked, dropped halfway', column('generate'), async () => {
    h.server.reply({ writes: [bytes(json).subarray(0, Math.floor(length / 2))], end: 'destroy' }, goodReply(provider, 'generate'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'generate', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 2, 'requests');
    return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, 'generate') };
  }));

  test(`${provider} generate: Content-Length unmet on every attempt`, () => h.run('body: Content-Length unmet, every attempt', column('generate'), async () => {
    const cut = { writes: [bytes(json).subarray(0, 10)], contentLength: length, end: 'destroy' };
    h.server.reply(cut, cut, cut, cut);
    const model = h.model(provider, { maxRetries: 2 });
    const outcome = await callModel(model, 'generate', CALLS.text);
    const error = expectError(outcome, 'NetworkError', 'network');
    assert.equal(error.details.attempts, 3, 'attempts');
    assert.equal(h.server.requests.length, 3, 'requests');
    return { outcome: describeOutcome(outcome, 3), after: echoesAfter(model, 'generate') };
  }));

  // The whole JSON arrived, but the chunked body's last chunk did not: the transfer failed, so
  // generate (which has handed nothing out yet) tries again.
  test(`${provider} generate: the whole JSON, then the connection dropped before the chunked body's end`, () => h.run('body: whole JSON, chunked end missing', column('generate'), async () => {
    h.server.reply({ writes: [json], end: 'destroy' }, goodReply(provider, 'generate'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'generate', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 2, 'requests');
    return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, 'generate') };
  }));

  test(`${provider} generate: a 200 with an empty body`, () => h.run('body: empty 200', column('generate'), async () => {
    h.server.reply({ writes: [], contentLength: 0 });
    const model = h.model(provider);
    const outcome = await callModel(model, 'generate', CALLS.text);
    const error = expectError(outcome, 'BadResponseError', 'bad_response');
    assert.equal(error.details.attempts, 1);
    assert.equal(h.server.requests.length, 1, 'requests');
    return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, 'generate') };
  }));
}
