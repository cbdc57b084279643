// W5: PII and secret redaction of ~1 MB of text (../shared/bench/workloads/w5_pii.mjs), timed
// and scored. Each run takes the original text and returns the redacted text; every run gets
// a fresh copy of the input string (made outside the timed region), so nothing a contender or
// V8 caches per string carries over. Scored with W5's score(): recall, precision, decoy hits,
// each contender's placeholders matched by its own regex.
import { createRequire } from 'node:module';
import { W5 } from '../../../shared/bench/workloads/index.mjs';
import { median, timeOnFreshStrings } from './harness.mjs';

const require = createRequire(import.meta.url);

/**
 * The baseline: one RegExp over W5's six types, as a competent JS developer would write it
 * (shapes only, no Luhn), replacing each match with a numbered placeholder of its type.
 */
export const COMBINED = new RegExp([
  String.raw`(?<EMAIL>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)`,
  String.raw`(?<GITHUB_TOKEN>\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{82})\b)`,
  String.raw`(?<AWS_KEY>\b(?:AKIA|ASIA)[A-Z2-7]{16}\b)`,
  String.raw`(?<CREDIT_CARD>\b(?:\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}|3[47]\d{2}[ -]?\d{6}[ -]?\d{5})\b)`,
  String.raw`(?<IPV4>\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b)`,
  String.raw`(?<PHONE>(?:\+\d{1,3}[ -]?)?(?:\(\d{3}\)|\d{3})[ .-]\d{3}[ .-]\d{4}\b|\+44 \d{2} \d{4} \d{4}\b)`,
].join('|'), 'g');

function combinedRegExp(text) {
  const counts = {};
  return text.replace(COMBINED, (...args) => {
    const groups = args[args.length - 1];
    let type;
    for (type in groups) if (groups[type] !== undefined) break;
    counts[type] = (counts[type] || 0) + 1;
    return `<${type}_${counts[type]}>`;
  });
}

const NUMBERED = /<[A-Z0-9_]+_\d+>/;
// redact-pii's placeholders (no word boundaries: its matches may start inside a word).
const REDACT_PII = /US_SOCIAL_SECURITY_NUMBER|CREDIT_CARD_NUMBER|STREET_ADDRESS|EMAIL_ADDRESS|PHONE_NUMBER|IP_ADDRESS|PERSON_NAME|CREDENTIALS|USERNAME|PASSWORD|ZIPCODE|DIGITS|URL/;

/** Bridle-specific code: one scanner compiled once on `backend`, then redact per run. */
async function bridleContender(backend) {
  const { loadBridle } = await import('./backends.mjs');
  const api = await loadBridle(backend);
  if (typeof api.Scanner !== 'function') throw new Error('no Scanner export (guard API not built yet)');
  const scanner = new api.Scanner({ pii: { types: ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IPV4'] }, secrets: true });
  return { run: (text) => scanner.redact(text).text, placeholder: NUMBERED };
}

async function contenders() {
  const list = [{ name: 'one combined RegExp', reference: true, setup: async () => ({ run: combinedRegExp, placeholder: NUMBERED }) }];
  for (const backend of ['native', 'wasm']) list.push({ name: `bridle ${backend}`, bridle: true, setup: () => bridleContender(backend) });
  list.push({
    name: 'redact-pii SyncRedactor',
    slow: true,
    setup: async () => {
      const { SyncRedactor } = require('redact-pii');
      const redactor = new SyncRedactor();
      return { run: (text) => redactor.redact(text), placeholder: REDACT_PII };
    },
  });
  return list;
}


/** Runs W5 in this process: `{ id, bytes, rows: [{ name, ms?, runs?, score?, unavailable? }] }`. */
export async function measureW5({ budgetMs = 3000 } = {}) {
  const { text, entities } = W5.generate();
  const bytes = new TextEncoder().encode(text);
  const rows = [];
  const ready = [];
  for (const c of await contenders()) {
    const row = { name: c.name };
    rows.push(row);
    try {
      const prepared = await c.setup();
      const redacted = prepared.run(text);
      const score = W5.score(text, redacted, entities, prepared.placeholder);
      delete score.byType;
      Object.assign(row, { score, times: [] });
      ready.push({ c, prepared, row });
    } catch (error) {
      row.unavailable = error.message.split('\n')[0];
    }
  }
  // Interleave the fast contenders in rounds so drift hits them alike; redact-pii (~1 s a run) twice.
  const fast = ready.filter((r) => !r.c.slow);
  for (const r of fast) timeOnFreshStrings(r.prepared.run, bytes, 0, 3); // warm up
  for (let round = 0; round < 5; round++) {
    for (const r of fast) r.row.times.push(...timeOnFreshStrings(r.prepared.run, bytes, budgetMs / 5 / fast.length, 2));
  }
  for (const r of ready.filter((x) => x.c.slow)) r.row.times.push(...timeOnFreshStrings(r.prepared.run, bytes, 0, 2));
  for (const { row } of ready) {
    row.ms = median(row.times);
    row.runs = row.times.length;
    delete row.times;
  }
  return { id: 'W5', bytes: bytes.length, rows };
}

/** Prints the W5 table from several processes' results (medians across processes). */
export function printW5(results) {
  const mb = results[0].bytes / 1e6;
  console.log(`\nW5: PII and secret redaction of ${mb.toFixed(2)} MB (MB/s; recall / precision / decoy hits by W5's score())`);
  console.log(`${results.length} processes; median of runs, each on a fresh copy of the input`);
  console.log('| contender | MB/s (median) | vs one combined RegExp | recall | precision | decoy hits | partial | runs |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const names = [...new Set(results.flatMap((r) => r.rows.map((row) => row.name)))];
  const msOf = (name) => {
    const xs = results.map((r) => r.rows.find((row) => row.name === name)).filter((row) => row && row.ms !== undefined).map((row) => row.ms);
    return xs.length ? median(xs) : undefined;
  };
  const reference = msOf('one combined RegExp');
  for (const name of names) {
    const ms = msOf(name);
    const row = results[0].rows.find((x) => x.name === name);
    if (ms === undefined) { console.log(`| ${name} | unavailable: ${row?.unavailable ?? '?'} | | | | | | |`); continue; }
    const s = row.score;
    const runs = results.reduce((n, r) => n + (r.rows.find((x) => x.name === name)?.runs ?? 0), 0);
    console.log(`| ${name} | ${(mb / (ms / 1000)).toFixed(1)} | ${(reference / ms).toFixed(2)}x | ${(100 * s.recall).toFixed(1)}% | ${(100 * s.precision).toFixed(1)}% | ${s.decoyHits} | ${s.partialEntities} | ${runs} |`);
  }
}
