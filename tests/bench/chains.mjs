// C1 and C2: what a chain costs per step, beside LangChain.js's RunnableSequence and plain
// JavaScript. No I/O: the steps are JavaScript functions (C1) or the scripted model (C2), so
// what is measured is the orchestration itself: the core's run state machine, the crossings
// and the facade's driver. Per-step overhead = (1 / rate - reference's 1 / rate) / steps.
import assert from 'node:assert/strict';
import { RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { loadBridle } from './backends.mjs';

export const STEPS = 10;
const add = (k) => (x) => x + k;

export function c1() {
  const fns = Array.from({ length: STEPS }, (_, k) => add(k));
  const expected = (i) => i + (STEPS * (STEPS - 1)) / 2;
  return {
    id: 'C1',
    title: `a chain of ${STEPS} synchronous JavaScript steps, invoked (chains per second)`,
    unit: 'chains/s',
    reference: 'plain JS (async, awaited per step)',
    async check(name, run) {
      for (let i = 0; i < 3; i++) assert.equal(await run(i), expected(i), name);
    },
    contenders: [
      {
        name: 'plain JS (async, awaited per step)',
        async: true,
        async setup() {
          return async (i) => {
            let x = i;
            for (const fn of fns) x = await fn(x);
            return x;
          };
        },
      },
      ...['native', 'wasm'].map((backend) => ({
        name: `bridle ${backend}`,
        async: true,
        async setup() {
          const { pipe } = await loadBridle(backend);
          const chain = pipe(...fns);
          return (i) => chain.invoke(i);
        },
      })),
      {
        name: '@langchain/core RunnableSequence',
        async: true,
        async setup() {
          const chain = RunnableSequence.from(fns.map((fn) => RunnableLambda.from(fn)));
          return (i) => chain.invoke(i);
        },
      },
    ],
  };
}

export function c2() {
  return {
    id: 'C2',
    title: 'prepare → scripted model → parse: a 3-step chain with a model call and no I/O (chains per second)',
    unit: 'chains/s',
    reference: 'bridle native',
    async check(name, run) {
      for (let i = 0; i < 3; i++) assert.deepEqual(await run(i), { n: 42 }, name);
    },
    contenders: ['native', 'wasm'].map((backend) => ({
      name: `bridle ${backend}`,
      async: true,
      async setup() {
        const { pipe, modelStep, scripted } = await loadBridle(backend);
        const model = scripted(['{"n": 42}'], { loop: true });
        const chain = pipe((i) => `question ${i}`, modelStep(model), (text) => JSON.parse(text));
        return (i) => chain.invoke(i);
      },
    })),
  };
}
