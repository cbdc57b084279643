// A Cloudflare Worker that runs the shared suite on the package's workerd entry and answers
// with the result as JSON. Bundled by esbuild with Workers' conditions, as wrangler does.
import * as bridle from 'bridle';
import vectors from '../../vectors/fstring.json';
import comments from '../../../../shared/conformance/mustache/comments.json';
import delimiters from '../../../../shared/conformance/mustache/delimiters.json';
import interpolation from '../../../../shared/conformance/mustache/interpolation.json';
import inverted from '../../../../shared/conformance/mustache/inverted.json';
import partials from '../../../../shared/conformance/mustache/partials.json';
import sections from '../../../../shared/conformance/mustache/sections.json';
import inheritance from '../../../../shared/conformance/mustache/~inheritance.json';
import dynamicNames from '../../../../shared/conformance/mustache/~dynamic-names.json';
import hbs_basic from '../../../../shared/conformance/handlebars/basic.json';
import hbs_blocks from '../../../../shared/conformance/handlebars/blocks.json';
import hbs_builtins from '../../../../shared/conformance/handlebars/builtins.json';
import hbs_data from '../../../../shared/conformance/handlebars/data.json';
import hbs_helpers from '../../../../shared/conformance/handlebars/helpers.json';
import hbs_partials from '../../../../shared/conformance/handlebars/partials.json';
import hbs_regressions from '../../../../shared/conformance/handlebars/regressions.json';
import hbs_strict from '../../../../shared/conformance/handlebars/strict.json';
import hbs_string_params from '../../../../shared/conformance/handlebars/string-params.json';
import hbs_subexpressions from '../../../../shared/conformance/handlebars/subexpressions.json';
import hbs_track_ids from '../../../../shared/conformance/handlebars/track-ids.json';
import hbs_whitespace_control from '../../../../shared/conformance/handlebars/whitespace-control.json';
import chat from '../../../../shared/conformance/hf-chat-templates.json';
import dotpromptSource from '../../../examples/prompts/support.prompt';
import prompty from '../../vectors/prompty.json';
import guardPii from '../../vectors/guard/pii.json';
import guardSecrets from '../../vectors/guard/secrets.json';
import guardInjection from '../../vectors/guard/injection.json';
import guardUnicode from '../../vectors/guard/unicode.json';
import guardText from '../../vectors/guard/text.json';
import guardOutput from '../../vectors/guard/output.json';
import { runSuite } from '../suite.mjs';
import { runProviderMatrix } from '../../providers/matrix.mjs';
import { runChainSuite } from '../../chains/suite.mjs';
import { runTokenSuite } from '../../tokens/suite.mjs';
// Rank tables bundled into the Worker from a registry package (js-tiktoken).
import o200k from 'js-tiktoken/ranks/o200k_base';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import p50k from 'js-tiktoken/ranks/p50k_base';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { run as ragExample } from '../../../examples/chains/rag.mjs';
import { run as extractExample } from '../../../examples/chains/extract.mjs';
import { run as agentExample } from '../../../examples/chains/agent.mjs';
import { isHandlebarsCodeCase } from '../../conformance/cases.mjs';

const tests = (...files) => files.flatMap((file) => file.tests);
const handlebars = [hbs_basic, hbs_blocks, hbs_builtins, hbs_data, hbs_helpers, hbs_partials, hbs_regressions, hbs_strict, hbs_string_params, hbs_subexpressions, hbs_track_ids, hbs_whitespace_control].flat();

export default {
  async fetch(request) {
    const result = runSuite(bridle, vectors, {
      mustacheCore: tests(comments, delimiters, interpolation, inverted, partials, sections),
      mustacheOptional: tests(inheritance, dynamicNames),
      handlebarsData: handlebars.filter((test) => !isHandlebarsCodeCase(test)),
      chat: chat.cases,
      dotpromptSource,
      prompty,
      guard: { pii: guardPii, secrets: guardSecrets, injection: guardInjection, unicode: guardUnicode, text: guardText, output: guardOutput },
    });
    // The provider matrix against the local provider server: the Worker's own fetch, no window.
    result.providers = await runProviderMatrix(bridle, new URL(request.url).searchParams.get('providers'));
    result.chains = await runChainSuite(bridle);
    const ranks = { o200k_base: o200k, cl100k_base: cl100k, p50k_base: p50k, r50k_base: r50k };
    result.tokens = await runTokenSuite(bridle, (name) => ranks[name]);
    result.chainExamples = { rag: await ragExample(bridle), extract: await extractExample(bridle), agent: await agentExample(bridle) };
    return Response.json(result);
  },
};
