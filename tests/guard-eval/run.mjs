// `npm run guard-eval [-- --peers-only] [--seed N] [--bytes N]`: scores Bridle's guardrail
// scanners (native and wasm, which must agree exactly) and, for comparison, redact-pii and a
// single combined JavaScript RegExp on a seeded, labelled corpus (./generate.mjs) of ~2 MB.
// Tables per label: n, TP, FN, FP, precision, recall; decoys hit; micro totals (./score.mjs).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { generate, SEED } from './generate.mjs';
import { alignRedaction, newTally, printTally, scoreDoc, INJECTION } from './score.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };

// ---------------------------------------------------------------------------------------
// Bridle: the only Bridle-specific code (one adapter per backend).

// Tokens whose CRC32 checksum fails are dropped here (requireChecksum): the corpus has
// bad-checksum `ghp_` decoys. By default they are reported with detail.checksum 'invalid'.
const BRIDLE_OPTIONS = { pii: true, secrets: { requireChecksum: true }, injection: true };

/** `{ scan(text) -> findings, redact(text) -> text, free() }` on one backend, or throws. */
async function bridleAdapter(backend) {
  if (flag('--mock-bridle')) return mockBridle();
  let api;
  try {
    // Imported here: without a build, the backends module itself cannot load.
    const { loadBridle } = await import('../bench/backends.mjs');
    api = await loadBridle(backend);
  } catch (error) {
    throw new Error(`cannot load Bridle's ${backend} backend (${error.message.split('\n')[0]})`);
  }
  if (typeof api.Scanner !== 'function' || typeof api.scan !== 'function') {
    throw new Error(`Bridle's ${backend} backend has no guard API yet (scan/Scanner are not exported)`);
  }
  const scanner = new api.Scanner(BRIDLE_OPTIONS);
  return {
    scan: (text) => scanner.scan(text),
    redact: (text) => scanner.redact(text).text,
    free: () => scanner.free(),
  };
}
const BRIDLE_PLACEHOLDER = /<[A-Z0-9_]+_\d+>/;
const bridlePlaceholderType = (p) => {
  const type = p.slice(1, -1).replace(/_\d+$/, '');
  return { type, scanner: INJECTION.has(type) ? 'injection' : undefined };
};

/** Checks a finding's offsets against its document; returns a message or null. */
function offsetError(text, f) {
  if (text.slice(f.start, f.end) !== f.text) return `text ${JSON.stringify(f.text)} != slice ${JSON.stringify(text.slice(f.start, f.end))}`;
  const byteStart = Buffer.byteLength(text.slice(0, f.start));
  const byteEnd = byteStart + Buffer.byteLength(f.text);
  if (f.byteStart !== byteStart || f.byteEnd !== byteEnd) return `bytes ${f.byteStart}..${f.byteEnd} != ${byteStart}..${byteEnd}`;
  return null;
}

// ---------------------------------------------------------------------------------------
// Peers.

/**
 * The baseline a competent JS developer would write: one RegExp, one alternative per type it
 * can express (shapes only: no check digits, no context words), the type read from the group.
 */
const BASELINE = new RegExp([
  String.raw`(?<PRIVATE_KEY>-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)`,
  String.raw`(?<JWT>\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)`,
  String.raw`(?<URL_PASSWORD>(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:@\/]*:)[^\s@\/]+(?=@))`,
  String.raw`(?<SLACK_WEBHOOK>https:\/\/hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/\w+)`,
  String.raw`(?<GITHUB_TOKEN>\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{82})\b)`,
  String.raw`(?<NPM_TOKEN>\bnpm_[A-Za-z0-9]{36}\b)`,
  String.raw`(?<ANTHROPIC_API_KEY>\bsk-ant-[a-z0-9]+-[\w-]{80,}\b)`,
  String.raw`(?<OPENAI_API_KEY>\bsk-(?:proj-|svcacct-)?[\w-]*T3BlbkFJ[\w-]+)`,
  String.raw`(?<STRIPE_SECRET_KEY>\b[sr]k_live_[A-Za-z0-9]{24,}\b)`,
  String.raw`(?<SLACK_TOKEN>\bxox[abposr]-[A-Za-z0-9-]{10,}\b)`,
  String.raw`(?<AWS_ACCESS_KEY_ID>\b(?:AKIA|ASIA)[A-Z2-7]{16}\b)`,
  String.raw`(?<EMAIL>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)`,
  String.raw`(?<IBAN>\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b)`,
  String.raw`(?<BITCOIN_ADDRESS>\b(?:bc1[a-z0-9]{39,59}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b)`,
  String.raw`(?<CREDIT_CARD>\b(?:\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}|3[47]\d{2}[ -]?\d{6}[ -]?\d{5})\b)`,
  String.raw`(?<US_SSN>\b\d{3}-\d{2}-\d{4}\b)`,
  String.raw`(?<MAC_ADDRESS>\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b)`,
  String.raw`(?<IPV4>\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b)`,
  String.raw`(?<IPV6>(?:\b[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}\b)`,
  String.raw`(?<PHONE>(?:\+\d{1,3}[ -]?)?(?:\(\d{3}\)|\d{3})[ .-]\d{3}[ .-]\d{4}\b|\+\d{1,3}(?:[ -]\d{1,5}){2,5}\b)`,
  String.raw`(?<INSTRUCTION_OVERRIDE>\b(?:ignore|disregard|forget)\b[^.\n]{0,30}\b(?:previous|prior|above|earlier)\b[^.\n]{0,20}\b(?:instructions|directions|rules)\b)`,
  String.raw`(?<ROLE_SPOOFING><\|im_start\|>system|<\|start_header_id\|>system|^#{2,3} ?System:|<<SYS>>)`,
].join('|'), 'gim');

/**
 * `--mock-bridle`: a stand-in with Bridle's Finding shape and `<TYPE_N>` redaction, built on
 * the RegExp baseline, to exercise the Bridle path of this harness before the API exists.
 */
function mockBridle() {
  const scan = (text) => baselineSpans(text).map((s) => ({
    scanner: s.scanner ?? 'pii', type: s.type, start: s.start, end: s.end, text: text.slice(s.start, s.end),
    byteStart: Buffer.byteLength(text.slice(0, s.start)), byteEnd: Buffer.byteLength(text.slice(0, s.end)), detail: {},
  }));
  const redact = (text) => {
    const counts = {};
    let out = '', last = 0;
    for (const f of scan(text)) {
      counts[f.type] = (counts[f.type] || 0) + 1;
      out += text.slice(last, f.start) + `<${f.type}_${counts[f.type]}>`;
      last = f.end;
    }
    return out + text.slice(last);
  };
  return { scan, redact, free() {} };
}

function baselineSpans(text) {
  const spans = [];
  for (const m of text.matchAll(BASELINE)) {
    const type = Object.keys(m.groups).find((k) => m.groups[k] !== undefined);
    const scanner = type === 'INSTRUCTION_OVERRIDE' || type === 'ROLE_SPOOFING' ? 'injection' : undefined;
    spans.push({ type, scanner, start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

// redact-pii with every built-in on and its own placeholders (3.4 ignores a per-type
// replaceWith for built-ins), mapped to the ACCEPT names.
const REDACT_PII_TYPES = {
  CREDIT_CARD_NUMBER: 'CREDIT_CARD', STREET_ADDRESS: 'STREET_ADDRESS', ZIPCODE: 'ZIPCODE', PHONE_NUMBER: 'PHONE', IP_ADDRESS: 'IP_ADDRESS',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN', EMAIL_ADDRESS: 'EMAIL', USERNAME: 'USERNAME', PASSWORD: 'PASSWORD', CREDENTIALS: 'CREDENTIALS',
  DIGITS: 'DIGITS', URL: 'URL', PERSON_NAME: 'PERSON_NAME',
};
function redactPiiAdapter() {
  const { SyncRedactor } = require('redact-pii');
  const redactor = new SyncRedactor();
  const names = Object.keys(REDACT_PII_TYPES).sort((a, b) => b.length - a.length);
  // No word boundaries: redact-pii's matches can start or end inside a word (xoxb-3CREDIT_CARD_NUMBER…).
  const placeholder = new RegExp(names.join('|'));
  return { redact: (text) => redactor.redact(text), placeholder, typeOf: (p) => ({ type: REDACT_PII_TYPES[p] }) };
}

// ---------------------------------------------------------------------------------------

function sanityCheckCorpus(docs) {
  for (const doc of docs) {
    if (BRIDLE_PLACEHOLDER.test(doc.text)) throw new Error('corpus contains a placeholder-like string');
  }
}

async function main() {
  const peersOnly = flag('--peers-only');
  const seed = option('--seed', SEED);
  const t0 = performance.now();
  const { docs, bytes, chars } = generate({ seed, targetBytes: option('--bytes', 2_000_000) });
  sanityCheckCorpus(docs);
  const entities = docs.reduce((n, d) => n + d.entities.length, 0);
  const decoys = docs.reduce((n, d) => n + d.entities.filter((e) => !e.positive).length, 0);
  console.log(`guard-eval: seed ${seed}, ${docs.length} documents, ${(bytes / 1e6).toFixed(2)} MB UTF-8 (${chars} UTF-16 units), ` +
    `${entities - decoys} labelled entities + ${decoys} decoys; generated in ${(performance.now() - t0).toFixed(0)} ms; Node ${process.version}`);
  const summary = [];
  let failed = false;

  if (!peersOnly) {
    let native, wasm;
    try {
      native = await bridleAdapter('native');
      wasm = await bridleAdapter('wasm');
    } catch (error) {
      console.error(`\nBridle: ${error.message}.\nBuild the guard API first (make build), or run with --peers-only for the peers' tables.`);
      process.exit(1);
    }
    const scanTally = newTally();
    const redactTally = newTally();
    const offsetErrors = [];
    let ms = 0;
    for (const doc of docs) {
      const t = performance.now();
      const findings = native.scan(doc.text);
      ms += performance.now() - t;
      const fromWasm = wasm.scan(doc.text);
      assert.deepEqual(fromWasm, findings, 'native and wasm findings differ');
      for (const f of findings) { const e = offsetError(doc.text, f); if (e) offsetErrors.push(`${f.type}: ${e}`); }
      scoreDoc(scanTally, doc, findings.map((f) => ({ type: f.type, scanner: f.scanner, start: f.start, end: f.end })), 'scan');
      const redacted = native.redact(doc.text);
      assert.equal(wasm.redact(doc.text), redacted, 'native and wasm redactions differ');
      scoreDoc(redactTally, doc, alignRedaction(doc.text, redacted, BRIDLE_PLACEHOLDER, bridlePlaceholderType), 'redact');
    }
    native.free();
    wasm.free();
    summary.push(['bridle scan (native = wasm)', printTally(`Bridle scan (native; wasm identical), ${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s native`, scanTally)]);
    summary.push(['bridle redact (native = wasm)', printTally('Bridle redact (placeholders aligned; entity must be fully covered)', redactTally)]);
    if (offsetErrors.length) {
      failed = true;
      console.error(`\n${offsetErrors.length} findings with wrong offsets, e.g.:\n  ${offsetErrors.slice(0, 5).join('\n  ')}`);
    }
  }

  const regexTally = newTally();
  let t = performance.now();
  for (const doc of docs) scoreDoc(regexTally, doc, baselineSpans(doc.text), 'scan');
  const regexMs = performance.now() - t;
  summary.push(['one combined RegExp', printTally(`One combined RegExp (${BASELINE.source.length} chars, shapes only), ${(bytes / 1e6 / (regexMs / 1000)).toFixed(1)} MB/s incl. scoring`, regexTally)]);

  const rp = redactPiiAdapter();
  const rpTally = newTally();
  let alignFailures = 0;
  t = performance.now();
  for (const doc of docs) {
    const redacted = rp.redact(doc.text);
    let spans;
    try {
      spans = alignRedaction(doc.text, redacted, rp.placeholder, rp.typeOf);
    } catch {
      alignFailures++;
      continue;
    }
    scoreDoc(rpTally, doc, spans, 'redact');
  }
  const rpMs = performance.now() - t;
  const note = alignFailures ? `; ${alignFailures} documents not alignable, left out` : '';
  summary.push(['redact-pii SyncRedactor', printTally(`redact-pii 3.4 SyncRedactor (all built-ins; entity must be fully covered), ${(bytes / 1e6 / (rpMs / 1000)).toFixed(2)} MB/s${note}`, rpTally)]);

  console.log('\n### Summary (micro over all labelled entities)');
  console.log('| contender | precision | recall | TP | FP | decoys hit |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, m] of summary) {
    console.log(`| ${name} | ${(100 * m.precision).toFixed(1)}% | ${(100 * m.recall).toFixed(1)}% | ${m.tp} | ${m.fp} | ${m.decoysHit}/${m.decoys} |`);
  }
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (failed) process.exit(1);
}

await main();
