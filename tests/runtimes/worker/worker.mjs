// A Cloudflare Worker that runs the shared suite on the package's workerd entry and answers
// with the result as JSON. Bundled by esbuild with Workers' conditions, as wrangler does.
import * as bridle from 'bridle';
import vectors from '../../vectors/fstring.json';
import { runSuite } from '../suite.mjs';

export default {
  async fetch() {
    return Response.json(runSuite(bridle, vectors));
  },
};
