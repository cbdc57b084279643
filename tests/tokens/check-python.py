"""A by-hand cross-check against Python's tiktoken (OpenAI's own package, PyPI), whose newer
splitting patterns (possessive quantifiers, `\\s++$`) differ in text from the ones the npm
packages carry. Not part of `make test` (it needs a Python venv with `pip install tiktoken`).

    node tests/tokens/dump-ids.mjs > /tmp/bridle-ids.json      # the corpus and Bridle's ids
    python tests/tokens/check-python.py /tmp/bridle-ids.json

The rank tables come from the tiktoken npm package (node_modules), so nothing is downloaded:
each encoding's constructor in `tiktoken_ext.openai_public` runs with its table loader
pointed at them.
"""
import base64
import json
import sys

import tiktoken
import tiktoken_ext.openai_public as public

ROOT = __file__.rsplit("/tests/", 1)[0]


def ranks(name):
    data = json.load(open(f"{ROOT}/node_modules/tiktoken/encoders/{name}.json"))
    table = {}
    for line in data["bpe_ranks"].split("\n"):
        if line:
            fields = line.split(" ")
            first = int(fields[1])
            for i, token in enumerate(fields[2:]):
                table[base64.b64decode(token)] = first + i
    return table


dump = json.load(open(sys.argv[1]))
print("python tiktoken", tiktoken.__version__)
for name in dump["ids"]:
    loader = public.load_tiktoken_bpe
    public.load_tiktoken_bpe = lambda *args, **kwargs: ranks(name)
    try:
        args = getattr(public, name)()
    finally:
        public.load_tiktoken_bpe = loader
    keep = ("name", "pat_str", "mergeable_ranks", "special_tokens", "explicit_n_vocab")
    encoding = tiktoken.Encoding(**{k: v for k, v in args.items() if k in keep})
    same = sum(encoding.encode(text, allowed_special="all") == ids for text, ids in zip(dump["texts"], dump["ids"][name]))
    print(f"{name}: {same}/{len(dump['texts'])} texts identical to Python tiktoken")
