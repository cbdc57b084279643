// Assertions shared by the runtime tests on what `runSuite` returned.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAMPLE, HOST_EXPECTED, CHAT_TEMPLATE_SAMPLE, DOTPROMPT_EXPECTED, structuredSample, guardSample, GUARD_FILES } from './suite.mjs';
import { REQUIRED } from '../conformance/suites.mjs';
import { run as ragExample } from '../../examples/chains/rag.mjs';
import { run as extractExample } from '../../examples/chains/extract.mjs';
import { run as agentExample } from '../../examples/chains/agent.mjs';
import { ENCODINGS, corpusFingerprints, tokenSample } from '../tokens/suite.mjs';
import { get_encoding } from 'tiktoken';

/** The package in this Node process, to compute what the runtimes must match. */
const bridleForNode = await import('bridle');

export const vectors = JSON.parse(readFileSync(new URL('../vectors/fstring.json', import.meta.url), 'utf8'));

/** What each suite totals in a runtime (mustache-optional without the lambdas file: no eval). */
const prompty = JSON.parse(readFileSync(new URL('../vectors/prompty.json', import.meta.url), 'utf8'));
const TOTALS = { 'mustache-core': 136, 'mustache-optional': 48, 'handlebars-data': 258, 'hf-chat-templates': 53, 'prompty-vectors': prompty.cases.length };
/** The floors in a runtime: the Node floors, less the lambdas the runtimes leave out; every Prompty vector. */
const FLOORS = { ...REQUIRED, 'mustache-optional': REQUIRED['mustache-optional'] - 10, 'prompty-vectors': prompty.cases.length };

/** The names index.d.ts declares as exports, sorted. */
export function declaredExports() {
  const dts = readFileSync(new URL('../../npm/bridle/index.d.ts', import.meta.url), 'utf8');
  const names = new Set();
  for (const match of dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm)) names.add(match[1]);
  return [...names].sort();
}

export async function checkSuiteResult(runtime, result) {
  assert.ok(!result.error, `${runtime}: ${result.error}`);
  console.log(`${runtime}: backend ${result.backend}, ${result.passed}/${vectors.cases.length} f-string vectors passed`);
  for (const { name, passed, total } of result.conformance) {
    console.log(`conformance ${name} ${runtime}: ${passed}/${total}`);
    assert.equal(total, TOTALS[name], name);
    assert.ok(passed >= FLOORS[name], `${runtime} ${name}: ${passed}/${total}, floor ${FLOORS[name]}`);
  }
  assert.deepEqual(result.host, HOST_EXPECTED);
  assert.equal(result.chatTemplate, CHAT_TEMPLATE_SAMPLE.expected);
  assert.deepEqual(result.dotprompt, DOTPROMPT_EXPECTED);
  // The same structured-output sample as Node on this backend gives, byte for byte.
  assert.deepEqual(result.structured, JSON.parse(JSON.stringify(structuredSample(bridleForNode))));
  // Guardrails: every shared vector passes, and the sample equals Node's on this backend.
  assert.ok(!result.guard?.error, `${runtime}: guard: ${result.guard?.error}`);
  assert.deepEqual(result.guard.vectors.map((v) => v.file), GUARD_FILES);
  for (const { file, passed, total, failures } of result.guard.vectors) {
    console.log(`guard vectors ${file} ${runtime}: ${passed}/${total}`);
    assert.equal(passed, total, `${runtime} guard ${file}: ${failures.join(', ')}`);
  }
  assert.deepEqual(result.guard.sample, JSON.parse(JSON.stringify(guardSample(bridleForNode))));
  // Model providers: the whole matrix, against the local provider server.
  const { passed, total, results } = result.providers;
  console.log(`provider matrix ${runtime}: ${passed}/${total}`);
  assert.deepEqual(results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.error}`), [], `${runtime} provider matrix`);
  assert.ok(total >= 40, `${runtime}: ${total} provider cases`);
  // Chains: the whole suite.
  console.log(`chain suite ${runtime}: ${result.chains.passed}/${result.chains.total}`);
  assert.deepEqual(result.chains.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.error}`), [], `${runtime} chain suite`);
  assert.ok(result.chains.total >= 12);
  // The chain examples (RAG with checked citations, extraction with re-asking, a guarded agent)
  // give what they give in Node.
  if (result.chainExamples !== undefined) {
    const node = { rag: await ragExample(bridleForNode), extract: await extractExample(bridleForNode), agent: await agentExample(bridleForNode) };
    assert.deepEqual(result.chainExamples, JSON.parse(JSON.stringify(node)), `${runtime} chain examples`);
    console.log(`chain examples ${runtime}: rag, extract, agent as in Node`);
  }
  // Tokens: every corpus text's ids equal tiktoken's (count and fingerprint), and the sample equals Node's.
  assert.ok(result.tokens !== undefined, `${runtime}: no token suite result`);
  for (const name of ENCODINGS) {
    const oracle = get_encoding(name);
    let want;
    try {
      want = corpusFingerprints((text) => oracle.encode(text, 'all'));
    } finally {
      oracle.free();
    }
    const got = result.tokens.encodings[name];
    const same = got.filter((pair, i) => pair[0] === want[i][0] && pair[1] === want[i][1]).length;
    console.log(`tokens ${name} ${runtime}: ${same}/${want.length} texts identical to tiktoken (rank table loaded in ${result.tokens.loadMs[name]} ms)`);
    assert.equal(same, want.length, `${runtime} ${name}`);
  }
  const nodeTokenizer = await bridleForNode.loadTokenizer('o200k_base');
  try {
    assert.deepEqual(result.tokens.sample, JSON.parse(JSON.stringify(tokenSample(bridleForNode, nodeTokenizer))), `${runtime} token sample`);
  } finally {
    nodeTokenizer.free();
  }
  assert.equal(result.backend, 'wasm');
  assert.deepEqual(result.exports, declaredExports(), `${runtime}: exports differ from index.d.ts`);
  assert.deepEqual(result.failures, []);
  assert.equal(result.passed, vectors.cases.length);
  assert.deepEqual(result.panic, { name: 'InternalError', code: 'internal', isBridleError: true });
  assert.equal(result.afterPanic, 'after panic');
  assert.equal(result.sample, SAMPLE.expected);
}
