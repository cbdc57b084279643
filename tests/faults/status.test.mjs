// HTTP failures, for every provider, streamed and not: 500, 502, 503, 529 and 429 once (the
// retry policy must recover, after the backoff it configures) and on every attempt (the typed
// error after exactly 1 + maxRetries requests, the status in its details); Retry-After in
// seconds, retry-after-ms, an HTTP date and Gemini's RetryInfo replacing the backoff; a
// Retry-After beyond maxRetryAfter failing at once; x-should-retry: false; and an error event
// inside a stream, before and after the first text. The server counts and times every request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDERS, MODES, CALLS, SSE_HEADERS, streamed, goodReply, errorReply, errorEvent } from './answers.mjs';
import { startHarness, callModel, expectAnswer, expectError, streamedText, echoesAfter, describeOutcome } from './harness.mjs';

let h;
const started = Date.now();
before(async () => {
  h = await startHarness();
});
after(async () => {
  h.table.print(`HTTP status faults: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await h.close();
});

const STATUSES = [500, 502, 503, 529, 429];
const typed = (status) => (status === 429 ? ['RateLimitError', 'rate_limit'] : ['ServerError', 'server']);

/** The gaps in ms between the requests the server saw. */
const gaps = () => h.server.requests.slice(1).map((r, i) => r.at - h.server.requests[i].at);

/** Asserts a wait of about `ms`: never shorter, and not much longer on a busy machine. */
function waited(gap, ms, what) {
  assert.ok(gap >= ms - 5 && gap < ms + 800, `${what}: waited ${gap} ms, expected ${ms}`);
}

for (const provider of PROVIDERS) {
  for (const mode of MODES) {
    const column = `${provider}/${mode}`;

    for (const status of STATUSES) {
      test(`${provider} ${mode}: HTTP ${status} once, then the answer`, () => h.run(`HTTP ${status} once`, column, async () => {
        h.server.reply(errorReply(provider, status), goodReply(provider, mode));
        const model = h.model(provider, { maxRetries: 2 });
        const outcome = await callModel(model, mode, CALLS.text);
        expectAnswer(outcome, 'text');
        assert.equal(h.server.requests.length, 2, 'requests');
        waited(gaps()[0], 20, 'the backoff');
        return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, mode) };
      }));

      test(`${provider} ${mode}: HTTP ${status} on every attempt`, () => h.run(`HTTP ${status} every attempt`, column, async () => {
        const reply = errorReply(provider, status);
        h.server.reply(reply, reply, reply, reply);
        const model = h.model(provider, { maxRetries: 2 });
        const outcome = await callModel(model, mode, CALLS.text);
        const error = expectError(outcome, ...typed(status));
        assert.equal(error.details.attempts, 3, 'attempts = 1 + maxRetries');
        assert.equal(error.details.status, status, 'details.status');
        assert.equal(error.details.provider, provider, 'details.provider');
        assert.equal(h.server.requests.length, 3, 'requests');
        // Exponential backoff: 20 ms, then 40 ms.
        const [first, second] = gaps();
        waited(first, 20, 'first backoff');
        waited(second, 40, 'second backoff');
        return { outcome: describeOutcome(outcome, 3), after: echoesAfter(model, mode) };
      }));
    }

    // The call's own maxRetries over the model's: exactly 1 + 3 requests, waits 20, 40, 80 ms.
    test(`${provider} ${mode}: HTTP 503 on every attempt, with the call's maxRetries: 3`, () => h.run('HTTP 503 every attempt, call maxRetries 3', column, async () => {
      const reply = errorReply(provider, 503);
      h.server.reply(reply, reply, reply, reply, reply);
      const model = h.model(provider, { maxRetries: 1 });
      const outcome = await callModel(model, mode, { ...CALLS.text, maxRetries: 3 });
      const error = expectError(outcome, 'ServerError', 'server');
      assert.equal(error.details.attempts, 4, 'attempts');
      assert.equal(h.server.requests.length, 4, 'requests');
      gaps().forEach((gap, i) => waited(gap, 20 * 2 ** i, `backoff ${i + 1}`));
      return { outcome: describeOutcome(outcome, 4), after: echoesAfter(model, mode) };
    }));

    for (const [label, status, headers, ms] of [
      ['429, Retry-After: 0.2 (seconds)', 429, { 'retry-after': '0.2' }, 200],
      ['503, Retry-After: 0.2 (seconds)', 503, { 'retry-after': '0.2' }, 200],
      ['429, retry-after-ms: 150', 429, { 'retry-after-ms': '150' }, 150],
    ]) {
      test(`${provider} ${mode}: ${label}, then the answer`, () => h.run(label, column, async () => {
        h.server.reply(errorReply(provider, status, headers), goodReply(provider, mode));
        const model = h.model(provider);
        const outcome = await callModel(model, mode, CALLS.text);
        expectAnswer(outcome, 'text');
        assert.equal(h.server.requests.length, 2, 'requests');
        waited(gaps()[0], ms, 'the wait the provider asked for');
        return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, mode) };
      }));
    }

    test(`${provider} ${mode}: a Retry-After longer than maxRetryAfter fails at once`, () => h.run('429, Retry-After beyond maxRetryAfter', column, async () => {
      h.server.reply(errorReply(provider, 429, { 'retry-after': '30' }), goodReply(provider, mode));
      const model = h.model(provider, { retry: { initialDelay: 20, jitter: 0, maxRetryAfter: 1000 } });
      const outcome = await callModel(model, mode, CALLS.text);
      const error = expectError(outcome, 'RateLimitError', 'rate_limit');
      assert.equal(error.details.retryAfter, 30_000, 'details.retryAfter');
      assert.equal(error.details.attempts, 1, 'attempts');
      assert.equal(h.server.requests.length, 1, 'requests');
      assert.ok(outcome.elapsed < 1000, `failed after ${outcome.elapsed} ms`);
      return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, mode) };
    }));

    if (provider !== 'gemini') {
      test(`${provider} ${mode}: 503 with x-should-retry: false is not retried`, () => h.run('503, x-should-retry: false', column, async () => {
        h.server.reply(errorReply(provider, 503, { 'x-should-retry': 'false' }), goodReply(provider, mode));
        const model = h.model(provider, { maxRetries: 2 });
        const outcome = await callModel(model, mode, CALLS.text);
        const error = expectError(outcome, 'ServerError', 'server');
        assert.equal(error.details.attempts, 1, 'attempts');
        assert.equal(h.server.requests.length, 1, 'requests');
        return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, mode) };
      }));
    } else {
      test(`gemini ${mode}: 429 with RetryInfo retryDelay 0.2s, then the answer`, () => h.run('429, Gemini RetryInfo 0.2s', column, async () => {
        h.server.reply(errorReply(provider, 429, {}, { retryDelay: '0.2s' }), goodReply(provider, mode));
        const model = h.model(provider);
        const outcome = await callModel(model, mode, CALLS.text);
        expectAnswer(outcome, 'text');
        assert.equal(h.server.requests.length, 2, 'requests');
        waited(gaps()[0], 200, 'the RetryInfo delay');
        return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, mode) };
      }));
    }
  }

  // An HTTP date has a resolution of one second, so this one waits up to two: one mode only.
  test(`${provider} generate: 429 with Retry-After as an HTTP date, then the answer`, () => h.run('429, Retry-After as an HTTP date', `${provider}/generate`, async () => {
    const until = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    h.server.reply(errorReply(provider, 429, { 'retry-after': new Date(until).toUTCString() }), goodReply(provider, 'generate'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'generate', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 2, 'requests');
    const retried = h.server.requests[1].at;
    assert.ok(retried >= until - 20 && retried < until + 800, `retried ${retried - until} ms from the date asked for`);
    return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, 'generate') };
  }));

  // An error event inside a 200 stream: typed like the same error over HTTP; retried while no
  // text has reached the caller.
  const text = streamed(provider, 'text');
  const firstText = text.texts.findIndex((t) => t !== '');
  test(`${provider} stream: an error event before the first text, then the answer`, () => h.run('stream: error event before any text', `${provider}/stream`, async () => {
    h.server.reply({ headers: SSE_HEADERS, writes: [...text.events.slice(0, firstText), errorEvent(provider)] }, goodReply(provider, 'stream'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'stream', CALLS.text);
    expectAnswer(outcome, 'text');
    assert.equal(h.server.requests.length, 2, 'requests');
    return { outcome: describeOutcome(outcome, 2), after: echoesAfter(model, 'stream') };
  }));

  test(`${provider} stream: an error event after the first text`, () => h.run('stream: error event after text', `${provider}/stream`, async () => {
    h.server.reply({ headers: SSE_HEADERS, writes: [...text.events.slice(0, firstText + 1), errorEvent(provider)] }, goodReply(provider, 'stream'));
    const model = h.model(provider);
    const outcome = await callModel(model, 'stream', CALLS.text);
    const error = expectError(outcome, 'ServerError', 'server');
    assert.equal(error.details.attempts, 1, 'attempts: no retry once text was out');
    assert.equal(streamedText(outcome.events), text.texts[firstText], 'the text before the error');
    assert.equal(h.server.requests.length, 1, 'requests');
    return { outcome: describeOutcome(outcome, 1), after: echoesAfter(model, 'stream') };
  }));
}
