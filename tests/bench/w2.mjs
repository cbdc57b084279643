// W2: the Llama-3 chat template over 20 messages (../shared/bench/workloads/w2_chat.mjs),
// compiled once, rendered many times.
import assert from 'node:assert/strict';
import nunjucks from 'nunjucks';
import { Template as HfTemplate } from '@huggingface/jinja';
import { W2 } from '../../../shared/bench/workloads/index.mjs';
import { bridleContenders } from './backends.mjs';

export function w2() {
  const { context, expected } = W2.generate();
  return {
    id: 'W2',
    title: 'Llama-3 chat template over 20 messages (renders per second)',
    unit: 'renders/s',
    reference: '@huggingface/jinja',
    async check(name, run) {
      assert.equal(await run(0), expected, name);
    },
    contenders: [
      ...bridleContenders(W2.LLAMA3_TEMPLATE, { syntax: 'jinja' }, () => context),
      {
        name: '@huggingface/jinja',
        setup() {
          const template = new HfTemplate(W2.LLAMA3_TEMPLATE);
          return () => template.render(context);
        },
      },
      {
        name: 'nunjucks (compiled)',
        setup() {
          const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: true });
          const template = nunjucks.compile(W2.LLAMA3_TEMPLATE, env);
          return () => template.render(context);
        },
      },
    ],
  };
}
