// W1: a tiny template with 3 string variables, rendered from 256 rotating inputs
// (../shared/bench/workloads/w1_tiny.mjs); every contender compiles once and renders many times.
import assert from 'node:assert/strict';
import Mustache from 'mustache';
import Handlebars from 'handlebars';
import nunjucks from 'nunjucks';
import { Template as HfTemplate } from '@huggingface/jinja';
import { Liquid } from 'liquidjs';
import { PromptTemplate, renderTemplate } from '@langchain/core/prompts';
import { W1 } from '../../../shared/bench/workloads/index.mjs';
import { bridleContenders } from './backends.mjs';

export function w1() {
  const { inputs, expected } = W1.generate();
  const n = inputs.length;
  const { fstring, mustache, jinja } = W1.TEMPLATES;
  return {
    id: 'W1',
    title: 'tiny template, 3 string variables (renders per second)',
    unit: 'renders/s',
    reference: 'nunjucks (compiled)',
    async check(name, run) {
      for (let i = 0; i < n; i++) assert.equal(await run(i), expected[i], `${name} input ${i}`);
    },
    contenders: [
      ...bridleContenders(fstring, { syntax: 'fstring' }, (i) => inputs[i % n]),
      {
        name: 'nunjucks (compiled)',
        setup() {
          const env = new nunjucks.Environment(null, { autoescape: false });
          const template = nunjucks.compile(jinja, env);
          return (i) => template.render(inputs[i % n]);
        },
      },
      {
        name: 'mustache',
        setup() {
          Mustache.escape = (text) => text; // prompts are not HTML (as LangChain configures it)
          Mustache.parse(mustache);
          return (i) => Mustache.render(mustache, inputs[i % n]);
        },
      },
      {
        name: 'handlebars (compiled)',
        setup() {
          const template = Handlebars.compile(mustache, { noEscape: true });
          return (i) => template(inputs[i % n]);
        },
      },
      {
        name: '@huggingface/jinja',
        setup() {
          const template = new HfTemplate(jinja);
          return (i) => template.render(inputs[i % n]);
        },
      },
      {
        name: 'liquidjs (parsed)',
        setup() {
          const engine = new Liquid();
          const parsed = engine.parse(jinja);
          return (i) => engine.renderSync(parsed, inputs[i % n]);
        },
      },
      {
        name: '@langchain/core renderTemplate',
        setup() {
          return (i) => renderTemplate(fstring, 'f-string', inputs[i % n]);
        },
      },
      {
        name: '@langchain/core PromptTemplate.format',
        async: true,
        setup() {
          const prompt = PromptTemplate.fromTemplate(fstring);
          return (i) => prompt.format(inputs[i % n]);
        },
      },
    ],
  };
}
