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
import chat from '../../../../shared/conformance/hf-chat-templates.json';
import { runSuite } from '../suite.mjs';

const mustache = [comments, delimiters, interpolation, inverted, partials, sections].flatMap((file) => file.tests);

export default {
  async fetch() {
    return Response.json(runSuite(bridle, vectors, mustache, chat.cases));
  },
};
