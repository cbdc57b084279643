// Entity-level scoring for the guardrail evaluation.
//
// A contender yields, per document, spans `{ type, start, end }` (UTF-16 offsets). A positive
// entity is found (TP) when one span of an accepted type covers at least `coverage` of it
// (scan findings: 80 %; redactions: the whole entity, by the union of adjacent placeholders;
// injections: any overlap, since a detector may flag only the trigger phrase). A span that
// overlaps no positive entity is a false positive, attributed to the label its type maps to
// (or to the raw type), and counted as a hit on any decoy it overlaps. A span over a positive
// entity with a type not accepted for it is neither: the entity counts as "other type".

/**
 * The one mapping table: the finding types accepted for each ground-truth label. Bridle's
 * exact type names may differ slightly; list every spelling here. `*:injection` accepts any
 * finding of the injection scanner (the family split is fuzzy). redact-pii's and the RegExp
 * baseline's types are normalised by their adapters to the names used here.
 */
export const ACCEPT = {
  EMAIL: ['EMAIL', 'EMAIL_ADDRESS'],
  PHONE: ['PHONE', 'PHONE_NUMBER'],
  CREDIT_CARD: ['CREDIT_CARD', 'CREDIT_CARD_NUMBER'],
  IBAN: ['IBAN', 'IBAN_CODE'],
  US_SSN: ['US_SSN', 'SSN', 'US_SOCIAL_SECURITY_NUMBER'],
  US_ITIN: ['US_ITIN', 'ITIN'],
  ABA_ROUTING: ['ABA_ROUTING', 'ABA_ROUTING_NUMBER', 'US_BANK_ROUTING'],
  IPV4: ['IPV4', 'IP_ADDRESS', 'IP'],
  IPV6: ['IPV6', 'IP_ADDRESS', 'IP'],
  MAC_ADDRESS: ['MAC_ADDRESS', 'MAC'],
  UK_NHS: ['UK_NHS', 'NHS', 'NHS_NUMBER'],
  CA_SIN: ['CA_SIN', 'SIN'],
  DE_TAX_ID: ['DE_TAX_ID', 'DE_STEUER_ID', 'STEUER_ID'],
  ES_NIF: ['ES_NIF', 'ES_NIE', 'NIF'],
  IT_FISCAL_CODE: ['IT_FISCAL_CODE', 'CODICE_FISCALE'],
  PL_PESEL: ['PL_PESEL', 'PESEL'],
  AU_TFN: ['AU_TFN', 'TFN'],
  AU_ABN: ['AU_ABN', 'ABN'],
  AU_MEDICARE: ['AU_MEDICARE', 'MEDICARE'],
  IN_AADHAAR: ['IN_AADHAAR', 'AADHAAR'],
  BITCOIN_ADDRESS: ['BITCOIN_ADDRESS', 'BTC_ADDRESS', 'CRYPTO_ADDRESS'],
  DATE_OF_BIRTH: ['DATE_OF_BIRTH', 'DOB'],
  PASSPORT_NUMBER: ['PASSPORT_NUMBER', 'PASSPORT'],
  DRIVERS_LICENSE: ['DRIVERS_LICENSE', 'DRIVER_LICENSE', 'US_DRIVERS_LICENSE'],
  GITHUB_TOKEN: ['GITHUB_TOKEN', 'GITHUB_PAT', 'GITHUB_FINE_GRAINED_PAT', 'GITHUB_OAUTH_TOKEN', 'GITHUB_APP_TOKEN', 'GITHUB_REFRESH_TOKEN'],
  NPM_TOKEN: ['NPM_TOKEN', 'NPM_ACCESS_TOKEN'],
  AWS_ACCESS_KEY_ID: ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY', 'AWS_KEY'],
  AWS_SECRET_ACCESS_KEY: ['AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY', 'GENERIC_SECRET'],
  OPENAI_API_KEY: ['OPENAI_API_KEY', 'OPENAI_KEY'],
  ANTHROPIC_API_KEY: ['ANTHROPIC_API_KEY', 'ANTHROPIC_KEY'],
  STRIPE_SECRET_KEY: ['STRIPE_SECRET_KEY', 'STRIPE_KEY', 'STRIPE_RESTRICTED_KEY'],
  SLACK_TOKEN: ['SLACK_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_USER_TOKEN'],
  SLACK_WEBHOOK: ['SLACK_WEBHOOK', 'SLACK_WEBHOOK_URL'],
  JWT: ['JWT', 'JSON_WEB_TOKEN'],
  PRIVATE_KEY: ['PRIVATE_KEY', 'PEM_PRIVATE_KEY', 'SSH_PRIVATE_KEY'],
  URL_PASSWORD: ['URL_PASSWORD', 'URL_CREDENTIALS', 'CONNECTION_STRING', 'URL'],
  GENERIC_SECRET: ['GENERIC_SECRET', 'PASSWORD'],
  INSTRUCTION_OVERRIDE: ['*:injection'],
  ROLE_SPOOFING: ['*:injection'],
  PROMPT_LEAK: ['*:injection'],
  ENCODED_INJECTION: ['*:injection'],
};
export const INJECTION = new Set(['INSTRUCTION_OVERRIDE', 'ROLE_SPOOFING', 'PROMPT_LEAK', 'ENCODED_INJECTION']);
const FAMILY = (label) => (INJECTION.has(label) ? 'injection' : /TOKEN|KEY|SECRET|JWT|WEBHOOK|PASSWORD/.test(label) ? 'secrets' : 'pii');

/** The label a finding type is reported under when it is a false positive. */
function labelOfType(type, scanner) {
  if (scanner === 'injection') return INJECTION.has(type) ? type : 'INSTRUCTION_OVERRIDE';
  for (const [label, types] of Object.entries(ACCEPT)) if (types[0] === type) return label;
  for (const [label, types] of Object.entries(ACCEPT)) if (types.includes(type)) return label;
  return `(${type})`;
}
const accepted = (label, span) => ACCEPT[label].includes(span.type) || (ACCEPT[label].includes('*:injection') && span.scanner === 'injection');

/** Merges adjacent or overlapping redaction spans into runs carrying all their types. */
export function mergeRuns(spans) {
  const runs = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const prev = runs[runs.length - 1];
    if (prev && prev.start <= s.start && prev.end >= s.start) { prev.end = Math.max(prev.end, s.end); prev.types.push(s.type); }
    else runs.push({ start: s.start, end: s.end, types: [s.type], type: s.type, scanner: s.scanner });
  }
  return runs;
}

/**
 * Recovers redacted spans from a black-box redactor's output: the literal text between
 * placeholders (matched by `placeholderRe`) is located in order in the original; the gaps are
 * the redacted spans, typed by `typeOf(placeholder)`. Per document, as W5's score() does, with
 * one refinement: a placeholder-like token that is literally in the original at that point
 * (e.g. PASSWORD in DB_PASSWORD=…, followed by the same text) is kept as literal text.
 */
export function alignRedaction(original, redacted, placeholderRe, typeOf) {
  const re = new RegExp(placeholderRe.source, placeholderRe.flags.replace('g', '') + 'g');
  const tokens = []; // literal strings and { placeholder } objects, alternating loosely
  let last = 0, m;
  while ((m = re.exec(redacted))) {
    if (m.index > last) tokens.push(redacted.slice(last, m.index));
    tokens.push({ placeholder: m[0] });
    last = m.index + m[0].length;
  }
  if (last < redacted.length) tokens.push(redacted.slice(last));
  const spans = [];
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (typeof tok === 'string') {
      if (!original.startsWith(tok, pos)) throw new Error(`alignment failed at ${pos}`);
      pos += tok.length;
      continue;
    }
    const next = tokens[i + 1];
    const after = typeof next === 'string' ? next.slice(0, 24) : '';
    if (original.startsWith(tok.placeholder + after, pos)) { pos += tok.placeholder.length; continue; }
    let at;
    if (next === undefined) at = original.length;
    else if (typeof next !== 'string') at = pos; // adjacent placeholders: the next one takes the run
    else if (i + 2 === tokens.length) at = original.length - next.length;
    else at = original.indexOf(next, pos + 1);
    if (at < pos) throw new Error(`alignment failed after ${tok.placeholder} at ${pos}`);
    spans.push({ start: pos, end: at, ...typeOf(tok.placeholder) });
    pos = at;
  }
  if (pos !== original.length) throw new Error('alignment failed at the end');
  return spans;
}

export function newTally() { return { labels: {}, fpTypes: {}, docs: 0 }; }
const row = (t, label) => (t.labels[label] ||= { n: 0, tp: 0, fn: 0, fp: 0, other: 0, any: 0, hit: 0 });

/**
 * Adds one document to `tally`. `mode` is 'scan' (one span must cover >= 80 % of the entity)
 * or 'redact' (the union of adjacent spans must cover all of it).
 */
export function scoreDoc(tally, doc, spans, mode) {
  tally.docs++;
  const list = mode === 'redact' ? mergeRuns(spans) : spans;
  const hitsPositive = new Array(list.length).fill(false);
  for (const e of doc.entities) {
    const r = row(tally, e.label);
    r.n++;
    const len = e.end - e.start;
    let found = false, any = false, overlapped = false;
    for (let k = 0; k < list.length; k++) {
      const s = list[k];
      const overlap = Math.min(s.end, e.end) - Math.max(s.start, e.start);
      if (overlap <= 0) continue;
      overlapped = true;
      if (e.positive) hitsPositive[k] = true;
      const need = INJECTION.has(e.label) ? 1 : mode === 'redact' ? len : Math.ceil(0.8 * len);
      if (overlap >= need) {
        any = true;
        const types = s.types ?? [s.type];
        if (e.positive && types.some((type) => accepted(e.label, { type, scanner: s.scanner }))) found = true;
      }
    }
    if (!e.positive) { if (overlapped) r.hit++; continue; }
    if (found) r.tp++; else { r.fn++; if (any) r.other++; }
    if (any) r.any++;
  }
  for (let k = 0; k < list.length; k++) {
    if (hitsPositive[k]) continue;
    const s = list[k];
    if (s.end === s.start) continue;
    const label = labelOfType(s.type, s.scanner);
    row(tally, label).fp++;
    tally.fpTypes[s.type] = (tally.fpTypes[s.type] || 0) + 1;
  }
}

const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');

/** Prints the per-label table, the decoy table and micro totals; returns the micro totals. */
export function printTally(title, tally) {
  console.log(`\n### ${title}`);
  console.log('| label | n | TP | FN | FP | precision | recall | covered, other type |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const labels = Object.keys(tally.labels);
  const positives = labels.filter((l) => !l.startsWith('DECOY_')).sort((a, b) => (FAMILY(a) + a).localeCompare(FAMILY(b) + b));
  const totals = {};
  for (const label of positives) {
    const r = tally.labels[label];
    const fam = label.startsWith('(') ? 'other' : FAMILY(label);
    const t = (totals[fam] ||= { n: 0, tp: 0, fp: 0 });
    t.n += r.n; t.tp += r.tp; t.fp += r.fp;
    console.log(`| ${label} | ${r.n} | ${r.tp} | ${r.fn} | ${r.fp} | ${pct(r.tp / (r.tp + r.fp))} | ${r.n ? pct(r.tp / r.n) : '–'} | ${r.other} |`);
  }
  const decoys = labels.filter((l) => l.startsWith('DECOY_')).sort();
  console.log('\n| decoy | n | hit | hit rate |');
  console.log('|---|---:|---:|---:|');
  let dn = 0, dh = 0;
  for (const label of decoys) {
    const r = tally.labels[label];
    dn += r.n; dh += r.hit;
    console.log(`| ${label} | ${r.n} | ${r.hit} | ${pct(r.hit / r.n)} |`);
  }
  const all = { n: 0, tp: 0, fp: 0 };
  const parts = [];
  for (const [fam, t] of Object.entries(totals)) {
    all.n += t.n; all.tp += t.tp; all.fp += t.fp;
    if (fam !== 'other') parts.push(`${fam}: P ${pct(t.tp / (t.tp + t.fp))} R ${pct(t.tp / t.n)}`);
  }
  const micro = { precision: all.tp / (all.tp + all.fp), recall: all.tp / all.n, tp: all.tp, fp: all.fp, n: all.n, decoysHit: dh, decoys: dn };
  console.log(`\nmicro: precision ${pct(micro.precision)}, recall ${pct(micro.recall)} (TP ${all.tp}, FP ${all.fp}, n ${all.n}); ${parts.join('; ')}; decoys hit ${dh}/${dn}`);
  return micro;
}
