// Run by memory.test.mjs in a child process (node --expose-gc, BRIDLE_BACKEND=native|wasm):
// the operations BRIDLE_LEAK_OPS names (';'-separated; default all), each BRIDLE_LEAK_CALLS
// times (default 1,000,000), sampling memory after a full collection every tenth of the calls
// and checking every result as it goes. Prints one JSON line; `--list` prints the names.
import * as bridle from 'bridle';
import { Rng } from '../../../shared/bench/workloads/rng.mjs';
import { sample, wasmMemories } from './measure.mjs';

const { Template, render, Scanner, JsonStream, repairJson, compileSchema, loadTokenizer } = bridle;
const CALLS = Number(process.env.BRIDLE_LEAK_CALLS ?? 1_000_000);
const CHECKPOINTS = 10;
const only = process.env.BRIDLE_LEAK_OPS?.split(';');

// Changing data, drawn once from a seeded generator: 1024 names (accents and astral characters
// included) and ASCII mailbox names; the call number makes every call's data different.
const rng = new Rng(2024);
const ALPHABET = [...'abcdefghijklmnopqrstuvwxyz', 'é', 'ß', '😀', ' '];
const NAMES = Array.from({ length: 1024 }, () => rng.fromAlphabet(ALPHABET, rng.int(1, 12)));
const MAILBOXES = Array.from({ length: 1024 }, () => rng.fromAlphabet([...'abcdefghijklmnopqrstuvwxyz'], rng.int(2, 10)));
const nameOf = (i) => NAMES[i & 1023];

function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
}

/** The operations: `setup()` returns `(i) => void`, which does call i and checks its result. */
const OPERATIONS = [
  {
    name: 'Template.render',
    setup() {
      // Mustache: the data goes packed (objects, lists) and the section walks it.
      const template = Template.compile('Hello {{name}}, you are {{age}} ({{#tags}}{{.}};{{/tags}}).', { syntax: 'mustache' });
      return (i) => {
        const tags = [i & 7, nameOf(i)];
        const out = template.render({ name: nameOf(i), age: i, tags });
        expectEqual(out, `Hello ${nameOf(i)}, you are ${i} (${tags[0]};${tags[1]};).`, 'render');
      };
    },
  },
  {
    name: 'render() one-shot',
    setup() {
      // Compiles, renders and frees on every call; the source changes too. An f-string: its
      // values go as slots in the scratch buffer, a list as its JSON text.
      return (i) => {
        const tags = [nameOf(i), i & 7];
        const out = render(`Hi {name}, {tags} #${i & 1023}`, { name: nameOf(i), tags });
        expectEqual(out, `Hi ${nameOf(i)}, ${JSON.stringify(tags)} #${i & 1023}`, 'one-shot render');
      };
    },
  },
  {
    name: 'Template.compile, dropped',
    // Never freed explicitly: each compiled template goes when its object is collected. A full
    // collection every 10,000 calls bounds how many wait for the finalizer, so what is left to
    // grow is what the finalizer path fails to free.
    gcEvery: 10_000,
    setup() {
      return (i) => {
        const template = Template.compile(`{first} and {second} #${i}`);
        expectEqual(template.variables.length, 2, 'variables');
      };
    },
  },
  {
    name: 'Template.compile, dropped, V8 collects',
    // The same as V8 schedules collections on its own. It sees only the small JS objects, not
    // the compiled templates behind them in the backend, so tens of thousands of dead ones
    // wait between collections, and wasm memory keeps the high-water mark of what they took.
    // How many is V8's heuristics, so only the release and the JS heap are asserted here.
    gcTimed: true,
    setup() {
      return (i) => {
        const template = Template.compile(`{first} and {second} #${i}`);
        expectEqual(template.variables.length, 2, 'variables');
      };
    },
  },
  {
    name: 'Scanner.scan',
    setup() {
      const scanner = new Scanner({ pii: true });
      return (i) => {
        const email = `${MAILBOXES[i & 1023]}${i}@example.com`;
        const findings = scanner.scan(`${nameOf(i)}: write to ${email} today`);
        expectEqual(findings.length, 1, 'findings');
        expectEqual(findings[0].type, 'EMAIL', 'finding type');
        expectEqual(findings[0].text, email, 'finding text');
      };
    },
  },
  {
    name: 'JsonStream, 3 chunks',
    // Every other stream is freed explicitly; the rest are left to the finalizer (collected
    // every 10,000 calls, as above).
    gcEvery: 10_000,
    setup() {
      return (i) => {
        const text = JSON.stringify({ id: i, name: nameOf(i), tags: ['a', i & 15], ok: (i & 1) === 0 });
        const cut1 = 1 + (i % (text.length - 2));
        const cut2 = cut1 + ((i >> 3) % (text.length - cut1));
        const stream = new JsonStream();
        stream.push(text.slice(0, cut1));
        stream.push(text.slice(cut1, cut2));
        stream.push(text.slice(cut2));
        expectEqual(JSON.stringify(stream.end()), text, 'stream value');
        if ((i & 1) === 0) stream.free();
      };
    },
  },
  {
    name: 'repairJson',
    setup() {
      return (i) => {
        const { value, repairs } = repairJson(`{id: ${i}, 'name': ${JSON.stringify(nameOf(i))}, tags: [1, 2,`);
        expectEqual(JSON.stringify(value), JSON.stringify({ id: i, name: nameOf(i), tags: [1, 2] }), 'repaired value');
        if (repairs.length === 0) throw new Error('repairJson reported no repairs');
      };
    },
  },
  {
    name: 'Schema.validate',
    setup() {
      const schema = compileSchema({
        type: 'object',
        properties: { id: { type: 'integer', minimum: 0 }, name: { type: 'string' } },
        required: ['id', 'name'],
      });
      return (i) => {
        // Every fourth value is invalid (a string id), so the error path runs too.
        const invalid = (i & 3) === 0;
        const result = schema.validate({ id: invalid ? String(i) : i, name: nameOf(i) });
        expectEqual(result.valid, !invalid, 'valid');
        expectEqual(result.errors.length, invalid ? 1 : 0, 'errors');
      };
    },
  },
  {
    name: 'Tokenizer.count',
    async setup() {
      const tokenizer = await loadTokenizer('o200k_base');
      return (i) => {
        const text = `${nameOf(i)} counted ${i} times`;
        const count = tokenizer.count(text);
        // The count is checked against the ids themselves on a sample of the calls.
        if (i % 97 === 0) expectEqual(count, tokenizer.encode(text).length, 'count');
        else if (count < 3) throw new Error(`count ${count} for ${JSON.stringify(text)}`);
      };
    },
  },
];

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `call` CALLS times; returns the time spent calling and a sample at every checkpoint. */
async function measure(call, gcEvery, memories) {
  const samples = [];
  const every = Math.ceil(CALLS / CHECKPOINTS);
  let ms = 0;
  let peakLive = 0;
  for (let i = 0; i < CALLS;) {
    const started = performance.now();
    const stop = Math.min(CALLS, i + every);
    while (i < stop) {
      // A turn of the event loop every 1000 calls, as a server has between requests, so that
      // finalizers (tasks) can run.
      const batchEnd = Math.min(stop, i + 1000);
      for (; i < batchEnd; i++) call(i);
      peakLive = Math.max(peakLive, bridle._debug.liveTemplates());
      if (gcEvery && i % gcEvery === 0) globalThis.gc();
      await yieldToEventLoop();
    }
    ms += performance.now() - started;
    // The most compiled templates alive at once since the last checkpoint (dropped ones wait
    // for a collection).
    samples.push({ calls: i, peakLiveTemplates: peakLive, ...(await sample(memories)) });
    peakLive = 0;
  }
  return { ms, samples };
}

if (process.argv.includes('--list')) {
  console.log(JSON.stringify(OPERATIONS.map((o) => o.name)));
  process.exit(0);
}
const memories = await wasmMemories();
const results = [];
for (const { name, setup, gcEvery, gcTimed = false } of OPERATIONS) {
  if (only && !only.includes(name)) continue;
  const call = await setup();
  const before = await sample(memories);
  const { ms, samples } = await measure(call, gcEvery, memories);
  results.push({ name, gcTimed, calls: CALLS, ms, before, samples });
  process.stderr.write(`${bridle.backend} ${name}: ${CALLS} calls in ${(ms / 1000).toFixed(1)} s\n`);
}
console.log(JSON.stringify({ backend: bridle.backend, results }));
