// Every area the cross-backend test runs, in order. An area is `{ name, count, make(rng, i),
// run(bridle, input, context), setup?(bridle), teardown?(context), outputOf?(ok), expect? }`:
// `make` builds a printable input from the Rng alone, `run` does the work on the live backend
// (it may be async), `outputOf` picks the part of an observed output that must not be empty
// (default: all of it), and `expect` overrides the least share of error and output cases the
// test requires.
import { TEMPLATE_AREAS } from './templates.mjs';
import { CHAT_AREAS } from './chat.mjs';
import { PROMPT_AREAS } from './prompts.mjs';
import { GUARD_AREAS } from './guard.mjs';
import { JSON_AREAS } from './json.mjs';
import { SCHEMA_AREAS } from './schema.mjs';
import { TOKEN_AREAS } from './tokens.mjs';
import { MODEL_AREAS } from './models.mjs';
import { CHAIN_AREAS } from './chains.mjs';

export const AREAS = [
  ...TEMPLATE_AREAS,
  ...CHAT_AREAS,
  ...PROMPT_AREAS,
  ...GUARD_AREAS,
  ...JSON_AREAS,
  ...SCHEMA_AREAS,
  ...TOKEN_AREAS,
  ...MODEL_AREAS,
  ...CHAIN_AREAS,
];
