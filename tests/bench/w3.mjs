// W3: a RAG prompt over 50 retrieved documents, ~35 KB out (../shared/bench/workloads/w3_rag.mjs).
// Bridle runs the logic-less Mustache form (pre-formatted scores), as mustache.js does.
import assert from 'node:assert/strict';
import Mustache from 'mustache';
import Handlebars from 'handlebars';
import nunjucks from 'nunjucks';
import { Template as HfTemplate } from '@huggingface/jinja';
import { Liquid } from 'liquidjs';
import { W3 } from '../../../shared/bench/workloads/index.mjs';
import { bridleContenders } from './backends.mjs';

export function w3() {
  const { context, expected } = W3.generate();
  const { fmt2, ...data } = context;
  return {
    id: 'W3',
    title: 'RAG prompt, 50 documents, ~35 KB out (renders per second)',
    unit: 'renders/s',
    reference: 'mustache',
    async check(name, run) {
      assert.equal(await run(0), expected, name);
    },
    contenders: [
      ...bridleContenders(W3.TEMPLATES.mustache, { syntax: 'mustache' }, () => data, ' (mustache)'),
      {
        name: 'mustache',
        setup() {
          Mustache.escape = (text) => text;
          Mustache.parse(W3.TEMPLATES.mustache);
          return () => Mustache.render(W3.TEMPLATES.mustache, data);
        },
      },
      {
        name: 'handlebars (compiled)',
        setup() {
          const hb = Handlebars.create();
          hb.registerHelper('fixed2', (x) => x.toFixed(2));
          hb.registerHelper('gte', (a, b) => a >= b);
          hb.registerHelper('lt', (a, b) => a < b);
          const template = hb.compile(W3.TEMPLATES.handlebars, { noEscape: true });
          return () => template(data);
        },
      },
      {
        name: 'nunjucks (compiled)',
        setup() {
          const env = new nunjucks.Environment(null, { autoescape: false });
          const template = nunjucks.compile(W3.TEMPLATES.jinja, env);
          return () => template.render(context);
        },
      },
      {
        name: '@huggingface/jinja',
        setup() {
          const template = new HfTemplate(W3.TEMPLATES.jinja);
          return () => template.render(context);
        },
      },
      {
        name: 'liquidjs (parsed)',
        setup() {
          const engine = new Liquid();
          engine.registerFilter('fixed2', (x) => x.toFixed(2));
          const parsed = engine.parse(W3.TEMPLATES.liquid);
          return () => engine.renderSync(parsed, data);
        },
      },
    ],
  };
}
