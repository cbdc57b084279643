// W4: streamed JSON in 16-byte chunks with a best-effort value after every chunk
// (../shared/bench/workloads/w4_partial_json.mjs), at 5 KB, 50 KB and 500 KB.
//
// One "run" is a whole stream: every chunk pushed (or appended and re-parsed, for the peers,
// which have no incremental mode) and the value read after each. The peers grow as n²: at
// 500 KB they take minutes per run (../shared/bench/README.md), so they run at 5 KB and 50 KB
// only, and the 500 KB row is Bridle's alone. The growth exponent is log(t₂/t₁)/log(n₂/n₁).
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { parse as partialJson, ALL } from 'partial-json';
import { parse as bestEffort, disableErrorLogging } from 'best-effort-json-parser';
import { parsePartialJson as aiParsePartialJson } from 'ai';
import { parsePartialJson as langchainParsePartialJson } from '@langchain/core/output_parsers';
import { W4 } from '../../../shared/bench/workloads/index.mjs';
import { loadBridle } from './backends.mjs';

export const SIZES = [5_000, 50_000, 500_000];
const PEER_SIZE_LIMIT = 50_000;

function accumulating(parse) {
  return (chunks) => {
    let text = '';
    let value;
    for (const chunk of chunks) {
      text += chunk;
      // A prefix a peer cannot parse (e.g. one ending inside a \u escape) keeps its last value.
      try {
        value = parse(text);
      } catch {}
    }
    return value;
  };
}

async function contenders() {
  disableErrorLogging();
  const list = [];
  for (const backend of ['native', 'wasm']) {
    const { JsonStream } = await loadBridle(backend);
    list.push({
      name: `bridle ${backend}`,
      bridle: true,
      run(chunks) {
        const stream = new JsonStream();
        let value;
        for (const chunk of chunks) value = stream.push(chunk).value;
        value = stream.end();
        stream.free();
        return value;
      },
    });
  }
  list.push(
    { name: 'ai parsePartialJson', async: true, async run(chunks) {
      let text = '';
      let value;
      for (const chunk of chunks) {
        text += chunk;
        value = (await aiParsePartialJson(text)).value;
      }
      return value;
    } },
    { name: 'partial-json', run: accumulating((text) => partialJson(text, ALL)) },
    { name: 'best-effort-json-parser', run: accumulating(bestEffort) },
    { name: '@langchain/core parsePartialJson', run: accumulating(langchainParsePartialJson) },
  );
  return list;
}

/** The median time of whole-stream runs, repeating until `budgetMs` is spent (at least `min` runs). */
async function time(contender, chunks, budgetMs, min = 3) {
  const times = [];
  const start = performance.now();
  while (times.length < min || (performance.now() - start < budgetMs && times.length < 200)) {
    const t0 = performance.now();
    const value = contender.async ? await contender.run(chunks) : contender.run(chunks);
    times.push(performance.now() - t0);
    if (value === undefined) throw new Error(`${contender.name} returned nothing`);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Runs W4 in this process: `{ id, sizes: { [bytes]: { [name]: ms } } }`. */
export async function measureW4({ budgetMs = 1500 } = {}) {
  const list = await contenders();
  const sizes = {};
  for (const target of SIZES) {
    const { chunks, value, bytes } = W4.generate({ targetBytes: target });
    const row = { bytes };
    for (const contender of list) {
      if (!contender.bridle && target > PEER_SIZE_LIMIT) continue;
      const result = contender.async ? await contender.run(chunks) : contender.run(chunks);
      assert.deepEqual(result, value, `${contender.name} at ${target} bytes`);
      // The peers' runs take seconds at 50 KB: give them fewer, the fast ones many.
      row[contender.name] = await time(contender, chunks, contender.bridle ? budgetMs : 0, contender.bridle ? 5 : 2);
    }
    sizes[target] = row;
  }
  return { id: 'W4', sizes };
}

/** Prints the W4 table from several processes' results (medians across processes). */
export function printW4(results) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const names = Object.keys(results[0].sizes[SIZES[0]]).filter((name) => name !== 'bytes');
  const ms = (name, size) => {
    const values = results.map((r) => r.sizes[size][name]).filter((v) => v !== undefined);
    return values.length ? median(values) : undefined;
  };
  console.log('\nW4: streamed JSON, 16-byte chunks, best-effort value after every chunk (ms per whole stream)');
  console.log(`${results.length} processes; median of runs; peers not run at 500 KB (n² — minutes per run)`);
  const header = SIZES.map((s) => `${results[0].sizes[s].bytes / 1000} KB`);
  console.log(`| contender | ${header.join(' | ')} | exponent 5→50 KB | exponent 50→500 KB |`);
  console.log(`|---|${SIZES.map(() => '---:').join('|')}|---:|---:|`);
  const exponent = (name, a, b) => {
    const ta = ms(name, a);
    const tb = ms(name, b);
    if (ta === undefined || tb === undefined) return '–';
    const na = results[0].sizes[a].bytes;
    const nb = results[0].sizes[b].bytes;
    return (Math.log(tb / ta) / Math.log(nb / na)).toFixed(2);
  };
  for (const name of names) {
    const cells = SIZES.map((s) => {
      const v = ms(name, s);
      return v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0);
    });
    console.log(`| ${name} | ${cells.join(' | ')} | ${exponent(name, SIZES[0], SIZES[1])} | ${exponent(name, SIZES[1], SIZES[2])} |`);
  }
  const peers = names.filter((name) => !name.startsWith('bridle'));
  for (const size of SIZES.filter((s) => s <= PEER_SIZE_LIMIT)) {
    const fastest = peers.reduce((best, name) => (ms(name, size) < ms(best, size) ? name : best));
    const parts = ['native', 'wasm'].map((b) => `bridle ${b} ${(ms(fastest, size) / ms(`bridle ${b}`, size)).toFixed(0)}x faster`);
    console.log(`${results[0].sizes[size].bytes / 1000} KB: fastest peer ${fastest} (${ms(fastest, size).toFixed(0)} ms); ${parts.join(', ')}`);
  }
}
