// Benchmark harness: contenders of one workload are checked for correct output, warmed up,
// then timed in interleaved rounds inside one process (so machine drift hits all alike);
// the table reports the median rate of each and its ratio to a reference contender.

import { performance } from 'node:perf_hooks';

/**
 * @param {object} workload  { id, title, unit, reference, contenders: [{ name, setup() -> run(i) -> string|number }] }
 * @param {object} options   { rounds, roundMs }
 */
export async function runWorkload(workload, { rounds = 7, roundMs = 150 } = {}) {
  const prepared = [];
  for (const contender of workload.contenders) {
    try {
      const run = await contender.setup();
      await workload.check(contender.name, run);
      prepared.push({ name: contender.name, run, async: contender.async === true, rates: [] });
    } catch (error) {
      console.log(`  ${contender.name}: skipped (${error.message})`);
    }
  }
  let sink = 0;
  for (const c of prepared) sink += await timeFor(c, 50); // warm up
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contender always runs first or last.
    for (let k = 0; k < prepared.length; k++) {
      const c = prepared[(k + round) % prepared.length];
      const { calls, ms, checksum } = await measure(c, roundMs);
      sink += checksum;
      c.rates.push((calls / ms) * 1000);
    }
  }
  const rows = prepared.map((c) => ({ name: c.name, rate: median(c.rates), spread: spread(c.rates) }));
  const reference = rows.find((r) => r.name === workload.reference)?.rate;
  console.log(`\n${workload.id}: ${workload.title}`);
  console.log(`| contender | ${workload.unit} (median of ${rounds}) | spread | vs ${workload.reference} |`);
  console.log('|---|---:|---:|---:|');
  for (const row of rows.sort((a, b) => b.rate - a.rate)) {
    console.log(`| ${row.name} | ${formatRate(row.rate)} | ±${(row.spread * 100).toFixed(0)} % | ${reference ? (row.rate / reference).toFixed(2) + 'x' : '–'} |`);
  }
  if (sink === 0.5) console.log('(sink)'); // keeps results observable
  return rows;
}

async function timeFor(c, ms) {
  return (await measure(c, ms)).checksum;
}

async function measure(c, ms) {
  let calls = 0;
  let checksum = 0;
  const start = performance.now();
  let now = start;
  const batch = 64;
  while (now - start < ms) {
    if (c.async) {
      for (let i = 0; i < batch; i++) checksum += (await c.run(calls + i)).length;
    } else {
      for (let i = 0; i < batch; i++) checksum += c.run(calls + i).length;
    }
    calls += batch;
    now = performance.now();
  }
  return { calls, ms: now - start, checksum };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Half the interquartile range relative to the median: how noisy the rounds were. */
function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return (q(0.75) - q(0.25)) / 2 / median(values);
}

export function formatRate(rate) {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M/s`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k/s`;
  return `${rate.toFixed(1)} /s`;
}
