// Slow and silent providers, for every provider, streamed and not, with a 300 ms timeout: a
// slow drip under the timeout completes (a stream's timeout counts silence, so a stream may
// take far longer in all; generate's runs to the end of the body); a stall longer than the
// timeout — before the first event, mid-stream, before and after the final event, mid-body —
// ends in a TimeoutError soon after the timeout (retried while nothing reached the caller);
// a request that never answers times out on every attempt; an AbortSignal cancels a hang, a
// stall and a retry wait at once with an AbortedError; AbortSignal.timeout is the overall deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDERS, MODES, CALLS, SSE_HEADERS, streamed, body, goodReply, errorReply } from './answers.mjs';
import { startHarness, callModel, expectAnswer, expectError, streamedText, echoesAfter, BASE_OPTIONS, BUG_SILENCE_AFTER_END } from './harness.mjs';

let h;
const started = Date.now();
before(async () => {
  h = await startHarness();
});
after(async () => {
  h.table.print(`timing faults (timeout ${BASE_OPTIONS.timeout} ms): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await h.close();
});

const TIMEOUT = BASE_OPTIONS.timeout;
/** Longer than any case waits: a stall the client must give up on. */
const STALL = 5_000;
/** How late past its due time a timeout or an abort may land on a busy machine. */
const SLACK = 800;

const sse = (writes, extra = {}) => ({ headers: SSE_HEADERS, writes, ...extra });

/** Splits text into pieces of `size` bytes (cutting inside UTF-8 characters too). */
function pieces(text, size) {
  const bytes = Buffer.from(text, 'utf8');
  const out = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

/** Splits text into exactly `count` pieces of bytes. */
function split(text, count) {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from({ length: count }, (_, i) => bytes.subarray(Math.floor((i * bytes.length) / count), Math.floor(((i + 1) * bytes.length) / count)));
}

/**
 * At least eight writes a quarter of the timeout apart, about twice the timeout in all: the
 * stream's events (SSE comments in front when there are fewer), or the body in eight pieces.
 */
function eightWrites(mode, events, json) {
  if (mode === 'generate') return split(json, 8);
  const writes = events.concat();
  while (writes.length < 8) writes.unshift(': keep-alive\n\n');
  return writes;
}

/**
 * Asserts `value` (ms) is due `due` at the earliest and at most SLACK late. Gaps the server
 * measures between requests start late by the time a request takes to arrive, hence `early`.
 */
function onTime(value, due, what, early = 10) {
  assert.ok(value >= due - early && value <= due + SLACK, `${what}: ${value} ms, due at ${due} ms`);
}

for (const provider of PROVIDERS) {
  const text = streamed(provider, 'text');
  const count = text.events.length;
  const firstText = text.texts.findIndex((t) => t !== '');
  const json = body(provider, 'text');
  const bodyFor = (mode) => (mode === 'stream' ? text.events.join('') : json);
  const withHeaders = (mode, extra) => (mode === 'stream' ? sse([], extra) : { contentLength: Buffer.byteLength(json), ...extra });

  for (const mode of MODES) {
    const column = `${provider}/${mode}`;

    // ------------------------------------------------------------------ drips

    test(`${provider} ${mode}: a byte drip (16-byte writes, 4 ms apart) completes`, () => h.run('drip: 16 bytes every 4 ms', column, async () => {
      const writes = pieces(bodyFor(mode), 16);
      h.server.reply(mode === 'stream' ? sse(writes, { gaps: 4 }) : { writes, gaps: 4, contentLength: Buffer.byteLength(json) });
      const model = h.model(provider, { maxRetries: 0 });
      const outcome = await callModel(model, mode, CALLS.text);
      expectAnswer(outcome, 'text');
      return { outcome: `answer (${writes.length} writes)`, after: echoesAfter(model, mode) };
    }));

    if (mode === 'stream') {
      test(`${provider} stream: events ${TIMEOUT / 3} ms apart complete`, () => h.run('drip: writes well under the timeout apart', column, async () => {
        const gap = TIMEOUT / 3;
        h.server.reply(sse(text.events, { gaps: gap }));
        const model = h.model(provider, { maxRetries: 0 });
        const outcome = await callModel(model, 'stream', CALLS.text);
        expectAnswer(outcome, 'text');
        assert.ok(outcome.elapsed >= (count - 1) * gap - 10, `took ${outcome.elapsed} ms`);
        assert.equal(h.server.requests.length, 1, 'requests');
        return { outcome: 'answer', after: echoesAfter(model, 'stream') };
      }));
    } else {
      test(`${provider} generate: a body in 5 writes ${TIMEOUT / 6} ms apart (under the timeout in all) completes`, () => h.run('drip: writes well under the timeout apart', column, async () => {
        const writes = split(json, 5);
        h.server.reply({ writes, gaps: TIMEOUT / 6, contentLength: Buffer.byteLength(json) });
        const model = h.model(provider, { maxRetries: 0 });
        const outcome = await callModel(model, 'generate', CALLS.text);
        expectAnswer(outcome, 'text');
        return { outcome: 'answer', after: echoesAfter(model, 'generate') };
      }));
    }

    // Never silent for long, but longer in all than the timeout: generate's timeout covers the
    // whole body (docs/models.md), a stream's only the silences.
    test(`${provider} ${mode}: a drip that is never idle for the timeout but outlasts it in all`, () => h.run('drip outlasting the timeout in all', column, async () => {
      const gap = TIMEOUT / 4;
      const writes = eightWrites(mode, text.events, json);
      h.server.reply(mode === 'stream' ? sse(writes, { gaps: gap }) : { writes, gaps: gap, contentLength: Buffer.byteLength(json) });
      const model = h.model(provider, { maxRetries: 0 });
      const outcome = await callModel(model, mode, CALLS.text);
      if (mode === 'stream') {
        expectAnswer(outcome, 'text');
        assert.ok(outcome.elapsed > TIMEOUT, `took ${outcome.elapsed} ms`);
      } else {
        const error = expectError(outcome, 'TimeoutError', 'timeout');
        assert.equal(error.details.attempts, 1, 'attempts');
        onTime(outcome.elapsed, TIMEOUT, 'timed out after');
      }
      return { outcome: outcome.error ? outcome.error.code : 'answer', after: echoesAfter(model, mode) };
    }));

    // ------------------------------------------------------------------ stalls

    test(`${provider} ${mode}: headers, then silence, then a good reply`, () => h.run('stall after headers, once', column, async () => {
      h.server.reply(withHeaders(mode, { end: 'hang' }), goodReply(provider, mode));
      const model = h.model(provider);
      const outcome = await callModel(model, mode, CALLS.text);
      expectAnswer(outcome, 'text');
      assert.equal(h.server.requests.length, 2, 'requests');
      onTime(h.server.requests[1].at - h.server.requests[0].at, TIMEOUT + 20, 'retried after', 50);
      return { outcome: 'answer (2 req)', after: echoesAfter(model, mode) };
    }));

    test(`${provider} ${mode}: headers, then silence on every attempt`, () => h.run('stall after headers, every attempt', column, async () => {
      h.server.reply(withHeaders(mode, { end: 'hang' }), withHeaders(mode, { end: 'hang' }));
      const model = h.model(provider);
      const outcome = await callModel(model, mode, CALLS.text);
      const error = expectError(outcome, 'TimeoutError', 'timeout');
      assert.equal(error.details.attempts, 2, 'attempts');
      assert.equal(h.server.requests.length, 2, 'requests');
      onTime(outcome.elapsed, 2 * TIMEOUT + 20, 'gave up after');
      return { outcome: 'timeout (2 req)', after: echoesAfter(model, mode) };
    }));

    test(`${provider} ${mode}: a request never answered`, () => h.run('hang: never answered', column, async () => {
      h.server.reply({ hang: true }, { hang: true });
      const model = h.model(provider);
      const outcome = await callModel(model, mode, CALLS.text);
      const error = expectError(outcome, 'TimeoutError', 'timeout');
      assert.equal(error.details.attempts, 2, 'attempts');
      assert.equal(h.server.requests.length, 2, 'requests');
      onTime(outcome.elapsed, 2 * TIMEOUT + 20, 'gave up after');
      return { outcome: 'timeout (2 req)', after: echoesAfter(model, mode) };
    }));

    test(`${provider} ${mode}: an AbortSignal cancels a request never answered`, () => h.run('hang: aborted after 100 ms', column, async () => {
      h.server.reply({ hang: true });
      const model = h.model(provider);
      const controller = new AbortController();
      const reason = new Error('the user left');
      setTimeout(() => controller.abort(reason), 100);
      const outcome = await callModel(model, mode, { ...CALLS.text, signal: controller.signal });
      const error = expectError(outcome, 'AbortedError', 'aborted');
      assert.equal(error.cause, reason, 'the reason is the cause');
      assert.equal(h.server.requests.length, 1, 'requests');
      onTime(outcome.elapsed, 100, 'aborted after');
      return { outcome: 'aborted', after: echoesAfter(model, mode) };
    }));

    test(`${provider} ${mode}: an AbortSignal cancels the wait for a Retry-After`, () => h.run('retry wait (Retry-After 5 s): aborted after 100 ms', column, async () => {
      h.server.reply(errorReply(provider, 429, { 'retry-after': '5' }), goodReply(provider, mode));
      const model = h.model(provider);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const outcome = await callModel(model, mode, { ...CALLS.text, signal: controller.signal });
      expectError(outcome, 'AbortedError', 'aborted');
      assert.equal(h.server.requests.length, 1, 'requests');
      onTime(outcome.elapsed, 100, 'aborted after');
      return { outcome: 'aborted', after: echoesAfter(model, mode) };
    }));

    test(`${provider} ${mode}: a signal aborted before the call`, () => h.run('signal aborted before the call', column, async () => {
      const model = h.model(provider);
      const outcome = await callModel(model, mode, { ...CALLS.text, signal: AbortSignal.abort() });
      expectError(outcome, 'AbortedError', 'aborted');
      assert.equal(h.server.requests.length, 0, 'no request');
      return { outcome: 'aborted (0 req)', after: echoesAfter(model, mode) };
    }));

    // AbortSignal.timeout() as the deadline of the whole call, over a drip the per-attempt
    // timeout allows: an AbortedError whose cause is the signal's TimeoutError.
    test(`${provider} ${mode}: AbortSignal.timeout(250) over a drip that takes longer`, () => h.run('deadline: AbortSignal.timeout(250)', column, async () => {
      const writes = eightWrites(mode, text.events, json);
      h.server.reply(mode === 'stream' ? sse(writes, { gaps: 100 }) : { writes, gaps: 100, contentLength: Buffer.byteLength(json) });
      const model = h.model(provider, { timeout: 2000 });
      const outcome = await callModel(model, mode, { ...CALLS.text, signal: AbortSignal.timeout(250) });
      const error = expectError(outcome, 'AbortedError', 'aborted');
      assert.equal(error.cause?.name, 'TimeoutError', 'the cause is the signal\'s TimeoutError');
      assert.equal(h.server.requests.length, 1, 'requests');
      onTime(outcome.elapsed, 250, 'aborted after');
      return { outcome: 'aborted', after: echoesAfter(model, mode) };
    }));
  }

  // -------------------------------------------------------------------- stream stalls

  const stalledAt = (index) => sse(text.events, { gaps: text.events.map((_, i) => (i === index ? STALL : 0)) });

  test(`${provider} stream: a stall after the first text`, () => h.run('stall mid-stream (after the first text)', `${provider}/stream`, async () => {
    h.server.reply(stalledAt(firstText + 1), goodReply(provider, 'stream'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'stream', CALLS.text);
    const error = expectError(outcome, 'TimeoutError', 'timeout');
    assert.equal(error.details.attempts, 1, 'attempts: no retry once text was out');
    assert.equal(streamedText(outcome.events), text.texts.slice(0, firstText + 1).join(''), 'the text before the stall');
    onTime(outcome.elapsed - outcome.times.at(-1), TIMEOUT, 'timed out after the last event');
    assert.equal(h.server.requests.length, 1, 'requests');
    return { outcome: 'timeout (1 req)', after: echoesAfter(model, 'stream') };
  }));

  test(`${provider} stream: an AbortSignal cancels a stall mid-stream`, () => h.run('stall mid-stream: aborted 100 ms in', `${provider}/stream`, async () => {
    h.server.reply(stalledAt(firstText + 1));
    const model = h.model(provider, { timeout: 2000 });
    const controller = new AbortController();
    const stream = model.stream({ ...CALLS.text, signal: controller.signal });
    const texts = [];
    let error = null;
    let abortedAt = 0;
    try {
      for await (const event of stream) {
        if (event.type !== 'text-delta') continue;
        texts.push(event.text);
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort();
        }, 100);
      }
    } catch (caught) {
      error = caught;
    }
    const late = Date.now() - abortedAt;
    expectError({ error }, 'AbortedError', 'aborted');
    assert.deepEqual(texts, [text.texts[firstText]], 'the text before the stall');
    assert.ok(late <= SLACK, `ended ${late} ms after the abort`);
    await assert.rejects(stream.result, (e) => e === error);
    return { outcome: `aborted (ended ${late} ms after the abort)`, after: echoesAfter(model, 'stream') };
  }));

  test(`${provider} stream: all the text, then a stall before the final event`, () => h.run('stall just before the final event', `${provider}/stream`, async () => {
    h.server.reply(stalledAt(count - 1));
    const model = h.model(provider);
    const outcome = await callModel(model, 'stream', CALLS.text);
    const error = expectError(outcome, 'TimeoutError', 'timeout');
    assert.equal(error.details.attempts, 1, 'attempts');
    assert.equal(streamedText(outcome.events), text.texts.slice(0, count - 1).join(''), 'the text before the stall');
    assert.ok(!outcome.events.some((e) => e.type === 'finish'), 'no finish event');
    return { outcome: 'timeout (1 req)', after: echoesAfter(model, 'stream') };
  }));

  // The answer is complete (the provider's end event came); the server just keeps the
  // connection open. The caller must get the answer, not a TimeoutError.
  test(`${provider} stream: the final event, then the connection kept open and silent ${BUG_SILENCE_AFTER_END}`, () => h.run('stall after the final event (connection kept open)', `${provider}/stream`, async () => {
    h.server.reply(sse(text.events, { end: 'hang' }));
    const model = h.model(provider, { maxRetries: 0 });
    const outcome = await callModel(model, 'stream', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 1, 'requests');
    return { outcome: 'answer', after: echoesAfter(model, 'stream') };
  }));

  // -------------------------------------------------------------------- body stalls

  test(`${provider} generate: half the body, then a stall, then a good reply`, () => h.run('stall mid-body, once', `${provider}/generate`, async () => {
    const length = Buffer.byteLength(json);
    h.server.reply({ writes: [json.slice(0, 40), json.slice(40)], gaps: [0, STALL], contentLength: length }, goodReply(provider, 'generate'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'generate', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 2, 'requests');
    onTime(h.server.requests[1].at - h.server.requests[0].at, TIMEOUT + 20, 'retried after', 50);
    return { outcome: 'answer (2 req)', after: echoesAfter(model, 'generate') };
  }));

  test(`${provider} generate: the whole JSON chunked, then the chunked end never comes`, () => h.run('whole JSON, chunked end never comes', `${provider}/generate`, async () => {
    h.server.reply({ writes: [json], end: 'hang' }, goodReply(provider, 'generate'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'generate', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 2, 'requests');
    return { outcome: 'answer (2 req)', after: echoesAfter(model, 'generate') };
  }));
}
