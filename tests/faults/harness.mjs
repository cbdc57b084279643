// What every fault case shares: models pointed at the fault server with short timeouts and
// waits, one call run to its end (a stream's events, its error, its `result`), the watchdog
// that fails a case instead of letting it hang, the check that the model still works after
// the fault, and the outcome table printed at the end of each file.
import assert from 'node:assert/strict';
import * as bridle from 'bridle';
import { startFaultServer } from './fault-server.mjs';
import { echoReply, EXPECTED, essentials } from './answers.mjs';

/**
 * Tags for the names of cases that fail because of a Bridle bug (reported with issue 11; the
 * tag goes once the bug is fixed). A dropped connection, or one left open, after the answer
 * was complete turns the finished answer into a NetworkError or a TimeoutError.
 */
export const BUG_DROP_AFTER_END = '[BUG: the finished answer is lost when the connection drops after it]';
export const BUG_SILENCE_AFTER_END = '[BUG: the finished answer is lost when the connection stays open after it]';

/** No case may run longer than this; past it the case fails as a hang. */
export const WATCHDOG_MS = 10_000;

/** Model options every case starts from: a short per-attempt timeout, quick retries without jitter. */
export const BASE_OPTIONS = { timeout: 300, maxRetries: 1, retry: { initialDelay: 20, factor: 2, maxDelay: 200, jitter: 0 } };

export async function startHarness() {
  const server = await startFaultServer({ fallback: echoReply });
  const models = [];
  const table = new OutcomeTable();

  function model(provider, options = {}) {
    const base = `${server.url}${provider === 'gemini' ? '/v1beta' : '/v1'}`;
    const made = bridle[provider]({ model: `${provider}-fault-model`, apiKey: 'test-key', baseURL: base, ...BASE_OPTIONS, ...options });
    models.push(made);
    return made;
  }

  /**
   * Runs one case: a fresh server queue, `body` under the watchdog, then a check that the
   * model (or chain) `after` returns still answers. The outcome string goes in the table.
   */
  async function run(row, column, body) {
    server.reset();
    let outcome = 'FAIL';
    const started = Date.now();
    let took = null;
    try {
      const result = await watchdog(body(), WATCHDOG_MS, `${row} / ${column}`);
      took = Date.now() - started;
      outcome = result.outcome;
      // Every attempt, retries included, sent a request the provider would take.
      const invalid = server.requests.filter((r) => r.schemaErrors.length);
      assert.deepEqual(invalid.map((r) => r.schemaErrors), [], 'request schema errors');
      if (result.after) {
        // Whatever the fault was, the same model answers the next call.
        server.reset();
        await watchdog(result.after(), WATCHDOG_MS, `${row} / ${column}: the call after the fault`);
      }
    } catch (error) {
      // The table keeps what went wrong in brief: the message up to its first ' — ' or line end.
      const hung = /^HANG/.test(error?.message);
      outcome = hung ? 'HANG' : `FAIL: ${String(error?.message).split(/ — |\n/)[0].slice(0, 70)}`;
      // A hung call is cut loose so the next case starts clean. (Only then: dropping the
      // client's idle keep-alive connections would make the next case's first attempt fail.)
      if (hung) server.dropConnections();
      throw error;
    } finally {
      // The time of the case itself, not of the check after it.
      table.record(row, column, `${outcome} ${took ?? Date.now() - started}ms`);
    }
  }

  return {
    server,
    model,
    run,
    table,
    async close() {
      for (const made of models) made.free();
      await server.close();
    },
  };
}

/** Rejects with a HANG failure when `promise` is still pending after `ms`. */
export async function watchdog(promise, ms, what) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: ${what} still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One call in `mode` ('stream' or 'generate'), run to its end. For a stream: every event (and
 * when, in ms from the start), the error the iteration threw, and what `result` settled to
 * (which must agree with it).
 */
export async function callModel(model, mode, options) {
  const started = Date.now();
  if (mode === 'generate') {
    try {
      const completion = await model.generate(options);
      return { completion, error: null, events: null, elapsed: Date.now() - started };
    } catch (error) {
      return { completion: null, error, events: null, elapsed: Date.now() - started };
    }
  }
  const stream = model.stream(options);
  const events = [];
  const times = [];
  let error = null;
  try {
    for await (const event of stream) {
      events.push(event);
      times.push(Date.now() - started);
    }
  } catch (caught) {
    error = caught;
  }
  const elapsed = Date.now() - started;
  let completion = null;
  try {
    completion = await stream.result;
    assert.equal(error, null, 'the iteration failed, but result resolved');
  } catch (resultError) {
    assert.ok(error !== null, `the iteration ended, but result rejected: ${shortError(resultError)}`);
    assert.equal(resultError, error, 'result rejects with the error the iteration threw');
  }
  return { completion, error, events, times, elapsed };
}

/** The text the caller received as text-delta events. */
export const streamedText = (events) => events.filter((e) => e.type === 'text-delta').map((e) => e.text).join('');

/** Asserts the call gave the whole answer of `kind` (and, for a stream, events that add up to it). */
export function expectAnswer(outcome, kind) {
  assert.equal(outcome.error, null, `expected the answer, got ${outcome.error?.constructor?.name} (${outcome.error?.code}) — ${outcome.error?.message}`);
  assert.deepEqual(essentials(outcome.completion, kind), EXPECTED[kind]);
  if (outcome.events) {
    assert.equal(outcome.events.at(-1)?.type, 'finish', 'the last event is finish');
    assert.equal(outcome.events.filter((e) => e.type === 'finish').length, 1, 'one finish event');
    if (kind !== 'object') assert.equal(streamedText(outcome.events), EXPECTED[kind].text, 'the streamed text');
    if (kind === 'tool') {
      assert.deepEqual(outcome.events.filter((e) => e.type === 'tool-call').map((e) => [e.toolCall.name, e.toolCall.input]), [['weather', { city: 'Lima' }]]);
    }
  }
}

/** Asserts the call failed with the BridleError subclass `cls` and `code`; returns the error. */
export function expectError(outcome, cls, code) {
  const { error } = outcome;
  assert.ok(error !== null, `expected ${cls} (${code}), got the answer`);
  assert.ok(error instanceof bridle.BridleError, `expected ${cls} (${code}), got an untyped ${error?.constructor?.name} — ${error?.message}`);
  assert.ok(error instanceof bridle[cls], `expected ${cls} (${code}), got ${error.constructor.name} (${error.code}) — ${error.message}`);
  assert.equal(error.code, code, `expected code ${code}, got ${error.code} — ${error.message}`);
  return error;
}

/** A short name for an outcome: the error's class and code, or 'answer'. */
export function describeOutcome(outcome, requests) {
  const what = outcome.error ? `${outcome.error.code}` : 'answer';
  return `${what} (${requests} req)`;
}

export function shortError(error) {
  if (error === null || error === undefined) return String(error);
  return `${error.constructor?.name} ${error.code ?? ''}: ${String(error.message).slice(0, 160)}`;
}

/** A follow-up call proving the model still works: the fault server's echo, in the same mode. */
export function echoesAfter(model, mode) {
  return async () => {
    const outcome = await callModel(model, mode, { prompt: 'still there?' });
    assert.equal(outcome.error, null, `the call after the fault failed: ${shortError(outcome.error)}`);
    assert.equal(outcome.completion.text, 'echo: still there?');
  };
}

/** Rows are faults, columns provider/mode; printed once the file's cases have run. */
export class OutcomeTable {
  rows = new Map();
  columns = [];

  /** Fixes the order of rows (those not declared follow in the order first recorded). */
  declare(rows) {
    for (const row of rows) if (!this.rows.has(row)) this.rows.set(row, new Map());
  }

  record(row, column, outcome) {
    if (!this.rows.has(row)) this.rows.set(row, new Map());
    if (!this.columns.includes(column)) this.columns.push(column);
    this.rows.get(row).set(column, outcome);
  }

  print(title) {
    const header = ['fault', ...this.columns];
    const lines = [...this.rows].filter(([, cells]) => cells.size).map(([row, cells]) => [row, ...this.columns.map((c) => cells.get(c) ?? '-')]);
    const widths = header.map((_, i) => Math.max(header[i].length, ...lines.map((l) => l[i].length)));
    const format = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
    const out = [`${title} (${bridle.backend} backend)`, format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format)];
    console.log(out.join('\n'));
  }
}

export { bridle };
