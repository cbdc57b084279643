// Benchmark harness. Inside one process, the contenders of a workload are checked for the
// exact expected output, warmed up, then timed in many short interleaved rounds, so that the
// machine's drift hits all of them alike; each round gives every contender a rate and a ratio
// to the reference measured in that same round. The parent runs several fresh processes and
// reports, per contender, the median rate and the median of all per-round ratios.

import { performance } from 'node:perf_hooks';

/** Runs `workload` in this process; returns `{ id, rows: [{ name, rates[], ratios[] }] }`. */
export async function measureWorkload(workload, { rounds = 15, roundMs = 60 } = {}) {
  const prepared = [];
  for (const contender of workload.contenders) {
    try {
      const run = await contender.setup();
      await workload.check(contender.name, run);
      prepared.push({ name: contender.name, run, async: contender.async === true, rates: [] });
    } catch (error) {
      console.error(`  ${contender.name}: skipped (${error.message})`);
    }
  }
  let sink = 0;
  for (const c of prepared) sink += (await measure(c, 100)).checksum; // warm up: JIT tiers
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contender always runs first or last.
    for (let k = 0; k < prepared.length; k++) {
      const c = prepared[(k + round) % prepared.length];
      const { calls, ms, checksum } = await measure(c, roundMs);
      sink += checksum;
      c.rates.push((calls / ms) * 1000);
    }
  }
  const reference = prepared.find((c) => c.name === workload.reference);
  return {
    id: workload.id,
    sink,
    rows: prepared.map((c) => ({
      name: c.name,
      rates: c.rates,
      ratios: reference ? c.rates.map((rate, round) => rate / reference.rates[round]) : [],
    })),
  };
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

/** Prints one table for a workload from the results of several processes. */
export function printTable(workload, results) {
  const names = results[0].rows.map((row) => row.name);
  const rows = names.map((name) => summariseRow(name, results.map((result) => result.rows.find((row) => row.name === name))));
  const rounds = results.reduce((n, result) => n + result.rows[0].rates.length, 0);
  console.log(`\n${workload.id}: ${workload.title}`);
  console.log(`${results.length} processes, ${rounds} interleaved rounds in all; ratio = median of per-round ratios`);
  console.log(`| contender | ${workload.unit} (median) | vs ${workload.reference} | per-process range |`);
  console.log('|---|---:|---:|---:|');
  for (const row of rows.sort((a, b) => b.ratio - a.ratio)) {
    console.log(`| ${row.name} | ${formatRate(row.rate)} | ${row.ratio.toFixed(2)}x | ${row.low.toFixed(2)}–${row.high.toFixed(2)} |`);
  }
}

/** One contender's row over several processes: median rate and ratio, and the per-process ratio range. */
export function summariseRow(name, perProcessRows) {
  const perProcess = perProcessRows.map((row) => median(row.ratios));
  return {
    name,
    rate: median(perProcessRows.flatMap((row) => row.rates)),
    ratio: median(perProcessRows.flatMap((row) => row.ratios)),
    low: Math.min(...perProcess),
    high: Math.max(...perProcess),
  };
}

/**
 * Run times in ms of `run` until `budgetMs` is spent (at least `min` runs), each on a fresh
 * string decoded from `bytes` outside the timing (so no contender sees a string it has seen).
 * `run` returns a count or something with a length, summed so the work cannot be dropped.
 */
export function timeOnFreshStrings(run, bytes, budgetMs, min) {
  const times = [];
  const start = performance.now();
  let sink = 0;
  while (times.length < min || (performance.now() - start < budgetMs && times.length < 500)) {
    const input = new TextDecoder().decode(bytes);
    const t0 = performance.now();
    const out = run(input);
    times.push(performance.now() - t0);
    sink += typeof out === 'number' ? out : out.length;
  }
  if (sink === 0) throw new Error('empty output');
  return times;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function formatRate(rate) {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M/s`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k/s`;
  return `${rate.toFixed(1)} /s`;
}
