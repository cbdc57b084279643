// Every resource limit of docs/limits.md, reached on purpose: each ends in a typed error
// (`LimitExceededError`, `details.limit` naming the limit) quickly, keeps what can be kept,
// and leaves the module usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as bridle from 'bridle';

/** Runs `body`, which must throw a LimitExceededError for `limit`; returns the error. */
function limited(limit, body) {
  const started = performance.now();
  let caught;
  try {
    body();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught, `the ${limit} limit was not reached`);
  assertLimit(caught, limit);
  assert.ok(performance.now() - started < 10_000, `the ${limit} limit took ${performance.now() - started} ms`);
  // The module is still usable.
  assert.equal(bridle.render('ok {x}', { x: 1 }), 'ok 1');
  return caught;
}

function assertLimit(error, limit) {
  assert.ok(error instanceof bridle.LimitExceededError, `${error?.name}: ${error?.message}`);
  assert.ok(error instanceof bridle.BridleError);
  assert.equal(error.code, 'limit_exceeded');
  assert.equal(error.details.limit, limit, error.message);
}

const jinja = { syntax: 'jinja' };

test('templates: fuel, recursion, nesting, depth and steps', () => {
  const fuel = limited('fuel', () => bridle.render('{% for i in range(100000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}', {}, jinja));
  assert.equal(fuel.line, 1);
  limited('recursion', () => bridle.render('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', {}, jinja));
  limited('nesting', () => bridle.render(`{{ ${'('.repeat(300)}1${')'.repeat(300)} }}`, {}, jinja));
  // Below the limits the same shapes work.
  assert.equal(bridle.render('{% macro f(n) %}{% if n < 20 %}{{ f(n + 1) }}{% else %}{{ n }}{% endif %}{% endmacro %}{{ f(0) }}', {}, jinja), '20');

  const mustache = { syntax: 'mustache' };
  limited('nesting', () => bridle.render('{{#a}}'.repeat(600) + '{{/a}}'.repeat(600), {}, mustache));
  limited('depth', () => bridle.render('{{>p}}', {}, { ...mustache, partials: { p: 'x{{>p}}' } }));

  const handlebars = { syntax: 'handlebars' };
  limited('nesting', () => bridle.render('{{#if a}}'.repeat(600) + '{{/if}}'.repeat(600), {}, handlebars));
  limited('depth', () => bridle.render('{{> p}}', {}, { ...handlebars, partials: { p: 'x{{> p}}' } }));
  // Wide rather than deep: 64^4 nested loop blocks, all within the depth limit, output empty.
  const wide = { list: Array.from({ length: 64 }, (_, i) => i) };
  const each = (depth) => (depth ? `{{#each @root.list}}${each(depth - 1)}{{/each}}` : '');
  limited('steps', () => bridle.render(each(5), wide, handlebars));
  assert.equal(bridle.render(`${each(3)}done`, wide, handlebars), 'done', '64^3 blocks are within the limit');
});

test('templates: the output size, in every syntax with loops, and its option', () => {
  const list = Array.from({ length: 1000 }, (_, i) => i);
  const sources = {
    mustache: '{{#list}}0123456789{{/list}}',
    handlebars: '{{#each list}}0123456789{{/each}}',
    jinja: '{% for i in list %}0123456789{% endfor %}',
  };
  for (const [syntax, source] of Object.entries(sources)) {
    const error = limited('output_bytes', () => bridle.render(source, { list }, { syntax, maxOutputBytes: 5000 }));
    assert.match(error.message, /maxOutputBytes/);
    assert.equal(bridle.render(source, { list }, { syntax, maxOutputBytes: 10_000 }).length, 10_000, syntax);
    // The default, 64 MiB, stops a template that multiplies its data.
    const big = { list: Array.from({ length: 8192 }, () => 'x'.repeat(1024)) };
    const doubling = {
      mustache: '{{#list}}{{#list}}{{.}}{{/list}}{{/list}}',
      handlebars: '{{#each list}}{{#each ../list}}{{this}}{{/each}}{{/each}}',
      jinja: '{% for a in list %}{% for b in list %}{{ b }}{% endfor %}{% endfor %}',
    }[syntax];
    limited('output_bytes', () => bridle.render(doubling, big, { syntax }));
  }
  // Jinja's output limit also holds when fuel is not the first to run out.
  limited('output_bytes', () => bridle.render('{{ "x" * 70000000 }}', {}, jinja));
});

test('guard rules: regex size and nesting', () => {
  const size = limited('regex_size', () => bridle.scan('text', { text: { regex: [{ pattern: '(?:a{1000}){1000}' }] } }));
  assert.equal(size.details.option, 'text.regex[0].pattern');
  limited('regex_nesting', () => bridle.scan('text', { text: { regex: [{ pattern: `${'('.repeat(80)}a${')'.repeat(80)}` }] } }));
  // A bad pattern is not a limit: it stays invalid_argument.
  assert.throws(() => bridle.scan('text', { text: { regex: [{ pattern: '(a' }] } }), (e) => e.code === 'invalid_argument');
});

test('JSON: nesting depth and stream size', () => {
  const stream = new bridle.JsonStream({ maxDepth: 50 });
  stream.push('{"a":'.repeat(40));
  limited('depth', () => stream.push('[[[[[[[[[[[['));
  assert.throws(() => stream.push('1'), (e) => e.code === 'limit_exceeded', 'later pushes throw the same error');
  limited('depth', () => bridle.repairJson('['.repeat(1000)));

  const sized = new bridle.JsonStream({ maxBytes: 64 });
  sized.push('{"answer": "');
  const error = limited('stream_bytes', () => sized.push('word '.repeat(20)));
  assert.equal(error.offset, 64);
  // What fitted was taken in: the string so far is in the value.
  assert.equal(sized.value.answer, 'word '.repeat(20).slice(0, 64 - '{"answer": "'.length));
  // The default (64 MiB) lets an ordinary large document through.
  const large = new bridle.JsonStream();
  large.push(JSON.stringify({ rows: Array.from({ length: 20000 }, (_, i) => ({ i, text: 'row' })) }));
  large.end();
  assert.equal(large.value.rows.length, 20000);
});

test('models: a stream event that never ends is cut at 16 MiB, keeping the text before it', async () => {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"id":"1","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":"so far"}}]}\n\n');
    res.write('data: {"choices":"');
    const megabyte = 'x'.repeat(1 << 20);
    let sent = 0;
    const more = () => {
      while (sent < 20 && !res.destroyed) {
        sent += 1;
        if (!res.write(megabyte)) return res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const model = bridle.openai({ model: 'm', apiKey: 'k', baseURL: `http://127.0.0.1:${server.address().port}/v1`, maxRetries: 0 });
    const text = [];
    let caught;
    try {
      for await (const event of model.stream({ prompt: 'hi' })) {
        if (event.type === 'text-delta') text.push(event.text);
      }
    } catch (error) {
      caught = error;
    }
    assert.ok(caught, 'the stream did not fail');
    assertLimit(caught, 'stream_buffer');
    assert.equal(caught.details.text, 'so far');
    assert.deepEqual(text, ['so far']);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('chains: tool-loop steps, chain depth', async () => {
  const looping = bridle.scripted([{ toolCalls: [{ name: 'again', input: {} }] }], { loop: true });
  const tools = { again: { execute: () => 'again' } };
  await assert.rejects(bridle.toolLoop(looping, { tools, maxSteps: 2 }).invoke('go'), (error) => {
    assertLimit(error, 'max_steps');
    assert.equal(error.details.result.stoppedBy, 'maxSteps');
    assert.equal(error.details.result.steps, 2);
    assert.equal(error.details.result.toolCalls.length, 1);
    return true;
  });
  const returned = await bridle.toolLoop(looping, { tools, maxSteps: 2, onMaxSteps: 'return' }).invoke('go');
  assert.equal(returned.stoppedBy, 'maxSteps');
  assert.throws(() => bridle.toolLoop(looping, { tools, onMaxSteps: 'never' }).invoke('go'), bridle.InvalidArgumentError);

  let chain = (x) => x;
  for (let i = 0; i < 70; i++) chain = bridle.withRetry(chain, { attempts: 1 });
  await assert.rejects(async () => chain.invoke(1), (error) => {
    assertLimit(error, 'depth');
    return true;
  });
  let sequence = (x) => x + 1;
  for (let i = 0; i < 50; i++) sequence = bridle.pipe(sequence, (x) => x);
  assert.equal(await sequence.invoke(1), 2, 'fifty levels are fine');
});
