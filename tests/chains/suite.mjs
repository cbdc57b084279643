// The chain suite: every composition, the re-ask loop (counts and messages of each attempt),
// the tool loop (parallel calls, maxSteps, a blocked call, approval), streaming event order,
// cancellation, the trace and replay, all with the scripted model. Portable: the JS suite runs
// it on each backend in Node and the runtime tests run it in Chromium and in workerd. It
// returns results as data; the caller asserts.

import { Failure, check, same } from '../portable/assert.mjs';

async function rejects(body, predicate, what) {
  try {
    await body();
  } catch (error) {
    check(predicate(error), `${what}: unexpected ${error?.constructor?.name} ${error?.code}: ${error?.message}`);
    return error;
  }
  throw new Failure(`${what}: expected a rejection`);
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const AGE = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };

function cases(b) {
  return [
    ['pipe: functions, a template, a model and a parser in order', async () => {
      const model = b.scripted(['{"answer": "Paris", "sure": true}']);
      const chain = b.pipe((input) => ({ city: input.trim() }), b.Template.compile('Capital of {city}?'), model, b.compileSchema({ type: 'object', required: ['answer'] }));
      same(await chain.invoke('  France '), { answer: 'Paris', sure: true }, 'output');
      same(model.calls[0].messages, [{ role: 'user', content: 'Capital of France?' }], 'the prompt the model saw');
    }],
    ['parallel, assign and passthrough', async () => {
      same(await b.parallel({ double: (x) => x * 2, text: (x) => `n=${x}`, same: b.passthrough() }).invoke(21), { double: 42, text: 'n=21', same: 21 }, 'parallel');
      same(await b.assign({ upper: (o) => o.name.toUpperCase(), size: async (o) => o.name.length }).invoke({ name: 'zoë' }), { name: 'zoë', upper: 'ZOË', size: 3 }, 'assign');
      // An object of steps is a parallel step.
      same(await b.pipe({ a: (x) => x + 1, b: (x) => x - 1 }, ({ a, b: c }) => a * c).invoke(5), 24, 'object of steps');
    }],
    ['branch takes the first matching case; route follows the router', async () => {
      const sign = b.branch([(n) => n < 0, () => 'negative'], [(n) => n === 0, () => 'zero'], () => 'positive');
      same(await Promise.all([-3, 0, 9].map((n) => sign.invoke(n))), ['negative', 'zero', 'positive'], 'branch');
      const router = b.route((q) => (q.includes('+') ? 'math' : 'chat'), { math: (q) => q.split('+').reduce((s, x) => s + Number(x), 0), chat: (q) => `chat: ${q}` });
      same([await router.invoke('2+3'), await router.invoke('hi')], [5, 'chat: hi'], 'route');
      await rejects(() => b.route(() => 'poetry', { math: (x) => x }).invoke('x'), (e) => e.code === 'invalid_argument' && e.details.route === 'poetry', 'unknown route');
    }],
    ['map keeps order and its concurrency limit', async () => {
      let running = 0;
      let most = 0;
      const slow = async (n) => {
        running++;
        most = Math.max(most, running);
        await delay(5 * (4 - (n % 4)));
        running--;
        return n * n;
      };
      same(await b.map(slow, { concurrency: 3 }).invoke([1, 2, 3, 4, 5, 6, 7]), [1, 4, 9, 16, 25, 36, 49], 'output');
      same(most, 3, 'most in flight');
    }],
    ['withRetry: attempts, waits, `on`; withFallbacks falls back', async () => {
      let calls = 0;
      const flaky = () => {
        calls++;
        if (calls < 3) throw new Error(`flaky ${calls}`);
        return 'ok';
      };
      const retried = [];
      same(await b.withRetry(flaky, { attempts: 3, backoff: { initialDelay: 5, jitter: 0 } }).invoke(null, { onEvent: (e) => e.type === 'retry' && retried.push([e.attempt, e.delay]) }), 'ok', 'output');
      same(retried, [[2, 5], [3, 10]], 'retry events');
      calls = 0;
      const rateLimited = () => {
        calls++;
        throw new b.RateLimitError('slow down', { code: 'rate_limit', details: {} });
      };
      await rejects(() => b.withRetry(rateLimited, { attempts: 2, on: ['server'] }).invoke(null), (e) => e instanceof b.RateLimitError, 'not retried');
      same(calls, 1, 'one call when the code is not in `on`');
      const original = new TypeError('kept as it was');
      await rejects(() => b.withRetry(() => { throw original; }, { attempts: 2, backoff: { initialDelay: 1 } }).invoke(null), (e) => e === original, 'the thrown error itself');
      same(await b.withFallbacks([() => { throw new Error('a'); }, () => { throw new Error('b'); }, () => 'c']).invoke(null), 'c', 'fallbacks');
    }],
    ['batch runs inputs at a concurrency, errors in place on request', async () => {
      const chain = b.pipe(async (x) => {
        await delay(2);
        if (x === 3) throw new Error('three');
        return x * 10;
      });
      const out = await chain.batch([1, 2, 3, 4], { concurrency: 2, returnErrors: true });
      same(out.map((x) => (x instanceof Error ? x.message : x)), [10, 20, 'three', 40], 'batch');
      await rejects(() => chain.batch([3]), (e) => e.message === 'three', 'batch without returnErrors');
    }],
    ['reask: repair, then re-ask with the failures, counting attempts', async () => {
      const model = b.scripted(['Here: {age: "old",}', '{"age": 41}', '{"age": 42}']);
      const noOdd = b.guard([{ name: 'even', check: (text) => (JSON.parse(text).age % 2 === 0 ? true : 'the age must be even'), onFail: 'reask' }]);
      let trace = null;
      same(await b.reask(model, { schema: AGE, guards: [noOdd], maxAttempts: 3 }).invoke('How old?', { trace: (t) => { trace = t; } }), { age: 42 }, 'output');
      same(model.calls.length, 3, 'model calls');
      same(model.calls[1].messages.slice(1), [
        { role: 'assistant', content: 'Here: {age: "old",}' },
        { role: 'user', content: "Your answer could not be accepted:\n- '/age' must be integer, got string\nReply again with the corrected answer only." },
      ], 'the second attempt\'s messages');
      same(model.calls[2].messages.at(-1).content, 'Your answer could not be accepted:\n- the age must be even\nReply again with the corrected answer only.', 'the third attempt\'s last message');
      same(trace.attributes.attempts.map((a) => [a.attempt, a.repaired, a.failures.length]), [[1, true, 1], [2, false, 1], [3, false, 0]], 'attempts in the trace');
      const stubborn = b.scripted(['nope'], { loop: true });
      const error = await rejects(() => b.reask(stubborn, { schema: AGE, maxAttempts: 2 }).invoke('x'), (e) => e instanceof b.SchemaError, 'out of attempts');
      same(error.details.attempts.length, 2, 'attempts in the error');
    }],
    ['tool loop: parallel calls, checked arguments, a blocked call, approval, maxSteps', async () => {
      const model = b.scripted([
        { toolCalls: [
          { name: 'weather', input: { city: 'Oslo' } },
          { name: 'weather', input: { city: 'Lima' } },
          { name: 'weather', input: { town: 'Rome' } },
          { name: 'fetch', input: { url: 'https://x.example/?key=AKIAZ3MSJV4WWNBQ7KXF' } },
          { name: 'pay', input: { amount: 5 } },
        ] },
        'Oslo is cold, Lima is mild.',
      ]);
      const started = [];
      const tools = {
        weather: {
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
          execute: async ({ city }) => {
            started.push(Date.now());
            await delay(30);
            return { city, temperature: city === 'Oslo' ? -3 : 18 };
          },
        },
        fetch: { parameters: { type: 'object', properties: { url: { type: 'string' } } }, execute: () => { throw new Error('must not run'); } },
        pay: { parameters: { type: 'object' }, needsApproval: true, execute: () => { throw new Error('must not run'); } },
      };
      const secrets = b.guard([b.checks.secrets({ onFail: 'block' })]);
      const approvals = [];
      const events = [];
      const out = await b.toolLoop(model, { tools, guards: [secrets], approve: (request) => { approvals.push(request.tool); return false; } })
        .invoke('Weather?', { onEvent: (e) => events.push(e.type) });
      same(out.text, 'Oslo is cold, Lima is mild.', 'answer');
      same(out.steps, 2, 'steps');
      check(Math.abs(started[0] - started[1]) < 25, `the two weather calls ran at once (${started[1] - started[0]} ms apart)`);
      const results = model.calls[1].messages.filter((m) => m.role === 'tool').map((m) => m.content);
      same(JSON.parse(results[0]), { city: 'Oslo', temperature: -3 }, 'first result');
      check(results[2].startsWith("Error: invalid arguments: (root) must have required property 'city'"), results[2]);
      check(results[3].startsWith('Error: this tool call was blocked by a guard'), results[3]);
      check(!results[3].includes('AKIA'), 'the block message holds no secret');
      same(results[4], 'Error: the user denied this tool call', 'denied');
      same(approvals, ['pay'], 'approval asked');
      same(events.filter((t) => t === 'tool-call').length, 5, 'tool-call events');
      check(events.includes('guard-finding'), 'a guard-finding event');
      const looping = b.scripted([{ toolCalls: [{ name: 'weather', input: { city: 'X' } }] }], { loop: true });
      await rejects(() => b.toolLoop(looping, { tools: { weather: tools.weather }, maxSteps: 3 }).invoke('loop'),
        (e) => e instanceof b.LimitExceededError && e.details.limit === 'max_steps' && e.details.result.steps === 3
          && e.details.result.toolCalls.length === 2, 'maxSteps is an error that keeps the result so far');
      const capped = await b.toolLoop(looping, { tools: { weather: tools.weather }, maxSteps: 3, onMaxSteps: 'return' }).invoke('loop');
      same([capped.steps, capped.stoppedBy, capped.toolCalls.length], [3, 'maxSteps', 2], 'maxSteps');
    }],
    ['streaming: events from any depth, in order, partial objects too', async () => {
      const model = b.scripted([{ chunks: ['{"age"', ': 4', '2}'] }]);
      const chain = b.pipe((q) => q.toUpperCase(), b.modelStep(model, { output: { schema: AGE } }), (o) => o.age + 1);
      const events = [];
      for await (const event of chain.stream('how old?')) events.push(event);
      same(events.map((e) => e.type + (e.name ? `:${e.name}` : '')), [
        'step-start:sequence', 'step-start:function', 'step-end:function', 'step-start:scripted:scripted',
        'text-delta', 'partial-object', 'text-delta', 'text-delta', 'partial-object',
        'step-end:scripted:scripted', 'step-start:function', 'step-end:function', 'step-end:sequence', 'final',
      ], 'event order');
      // A number shows once complete, never as a prefix of itself; unchanged objects are not sent again.
      same(events.filter((e) => e.type === 'partial-object').map((e) => e.object), [{}, { age: 42 }], 'partial objects');
      same(events.at(-1).output, 43, 'final');
      const modelStart = events.find((e) => e.type === 'step-start' && e.name === 'scripted:scripted');
      check(events.filter((e) => e.type === 'text-delta').every((e) => e.span === modelStart.span), 'deltas carry their step\'s span');
    }],
    ['a streaming guard inside a chain: deltas are guarded before they are seen', async () => {
      const model = b.scripted([{ chunks: ['Write to ana', '@example.com', ' today.'] }]);
      const redact = b.guard([b.checks.pii({ onFail: 'redact', types: ['EMAIL'] })]);
      const deltas = [];
      let output = null;
      for await (const event of b.pipe(b.modelStep(model, { guard: redact }), (text) => text.toUpperCase()).stream('x')) {
        if (event.type === 'text-delta') deltas.push(event.text);
        if (event.type === 'final') output = event.output;
      }
      check(!deltas.join('').includes('ana@'), `no delta holds the address: ${JSON.stringify(deltas)}`);
      same(deltas.join(''), 'Write to <EMAIL_1> today.', 'the guarded text');
      same(output, 'WRITE TO <EMAIL_1> TODAY.', 'the next step got the guarded text');
    }],
    ['cancellation: the signal stops the run and aborts the step in flight', async () => {
      const controller = new AbortController();
      let stepSignal = null;
      const slow = (x, { signal }) => new Promise((resolve) => {
        stepSignal = signal;
        setTimeout(() => resolve(x), 10_000);
      });
      setTimeout(() => controller.abort(), 20);
      const started = Date.now();
      await rejects(() => b.pipe(slow, () => 'never').invoke(1, { signal: controller.signal }), (e) => e instanceof b.AbortedError, 'aborted');
      check(Date.now() - started < 1000, 'stopped at once');
      check(stepSignal?.aborted === true, 'the step\'s own signal was aborted');
      // A model call in flight is aborted too.
      const late = new AbortController();
      setTimeout(() => late.abort(), 20);
      await rejects(() => b.pipe(b.modelStep(b.scripted([{ text: 'slow', delay: 5000 }]))).invoke('x', { signal: late.signal }), (e) => e instanceof b.AbortedError, 'model aborted');
      // Closing a stream early ends the run.
      const stream = b.pipe(slow).stream(1);
      const first = await stream.next();
      same(first.value.type, 'step-start', 'first event');
      await stream.return();
    }],
    ['the trace: a tree of steps with outputs, usage and timings', async () => {
      let trace = null;
      const model = b.scripted([{ text: 'hi', usage: { inputTokens: 3, outputTokens: 1 } }]);
      await b.pipe((x) => x, b.modelStep(model)).withName('greet').invoke('x', { trace: (t) => { trace = t; } });
      same([trace.name, trace.kind, trace.status.code, trace.children.length], ['greet', 'sequence', 'OK', 2], 'root');
      same(trace.children[1].usage, { inputTokens: 3, outputTokens: 1, totalTokens: 4 }, 'usage');
      same(trace.children[1].output, 'hi', 'output');
      same(trace.children[1].parentSpanId, trace.spanId, 'parent ids');
      check(/^[0-9a-f]{32}$/.test(trace.traceId) && /^[0-9a-f]{16}$/.test(trace.spanId), 'OpenTelemetry ids');
      check(typeof trace.startTimeUnixNano === 'string' && trace.durationMs >= 0, 'timings');
      same(trace.attributes['bridle.step.kind'], 'sequence', 'attributes');
    }],
    ['replay: a recorded run replays to the same output and events', async () => {
      const live = b.scripted([{ toolCalls: [{ name: 'add', input: { a: 2, b: 3 } }] }, { chunks: ['The sum ', 'is 5.'] }]);
      const recorder = b.record(live);
      const tools = { add: { parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } }, execute: ({ a, b: c }) => a + c } };
      const run = async (model) => {
        const events = [];
        const output = await b.toolLoop(model, { tools }).invoke('2+3?', { onEvent: (e) => events.push(JSON.stringify(e)) });
        return { output, events };
      };
      const first = await run(recorder.model);
      same(recorder.replies.length, 2, 'replies recorded');
      const replay = await run(b.scripted(recorder.replies));
      same(replay.output, first.output, 'output');
      same(replay.events, first.events, 'events, bit for bit');
    }],
  ];
}

/** Runs the chain suite with `bridle`. Returns `{ passed, total, results }`. */
export async function runChainSuite(bridle, { only = null } = {}) {
  const results = [];
  for (const [name, run] of cases(bridle)) {
    if (only !== null && !only.test(name)) continue;
    try {
      await run();
      results.push({ name, passed: true });
    } catch (error) {
      results.push({ name, passed: false, error: `${error?.constructor?.name}: ${error?.message}` });
    }
  }
  return { passed: results.filter((r) => r.passed).length, total: results.length, results };
}
