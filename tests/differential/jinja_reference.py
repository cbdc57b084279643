"""The Jinja2 reference for tests/differential/jinja.test.mjs.

Renders chat templates as Hugging Face transformers does (`_compile_jinja_template` in
transformers' chat_template_utils.py): an ImmutableSandboxedEnvironment with trim_blocks,
lstrip_blocks, the loop controls and the `{% generation %}` tag; transformers' own `tojson`
filter, `raise_exception` and `strftime_now` (at the case's fixed time instead of the clock).

Reads one JSON case per line from stdin, `{"id", "template", "context", "now", "flags"}`, and
writes one JSON result per line to stdout: `{"id", "ok": true, "output"}` or `{"id", "ok": false,
"kind", "message"}` (`kind` is the exception's class name). One process serves every case.

`flags` (usually none) each change one behaviour to what Bridle does, so that the test can tell
which known difference a disagreement is (see docs/differential.md):
- tojson_undefined_null: `tojson` of an undefined value writes `null` instead of failing.
- int_strict: the `int` filter fails on a string that is no number, or a list or a map,
  instead of giving 0.
- no_percent_format: `'...' % values` (printf-style formatting) fails.
- generation_inline: `{% generation %}` is an `if true` block, not a call block (whose body is
  a function of its own: a scope for `set`, and no loop for `break`/`continue`).
- for_else_if_no_iteration: a for loop's `else` renders only when the loop ran no iteration
  (Jinja2 marks an iteration done at the end of the body, so when every iteration ends in
  `break` or `continue` it renders the `else` too).
"""

import json
import re
import sys
from datetime import datetime, timezone

import jinja2
import jinja2.ext
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.filters import do_int
from jinja2.sandbox import ImmutableSandboxedEnvironment


def assistant_tracker(inline):
    class AssistantTracker(jinja2.ext.Extension):
        """transformers' `{% generation %}...{% endgeneration %}`: renders its body (the tracking
        of the assistant's indices that transformers adds does not change the output)."""

        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            if inline:
                return body
            return nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

        def _generation_support(self, caller):
            return caller()

    return AssistantTracker


class ElseIfNoIteration(CodeGenerator):
    """Marks a loop as iterated at the start of its body instead of the end."""

    def visit_For(self, node, frame):
        saved = getattr(self, "_else_body", None)
        self._else_body = node.body if node.else_ else None
        try:
            super().visit_For(node, frame)
        finally:
            self._else_body = saved

    def writeline(self, x, node=None, extra=0):
        super().writeline(x, node, extra)
        body = getattr(self, "_else_body", None)
        if body is not None and re.fullmatch(r"t_\d+ = 1", x):
            self.__dict__.setdefault("_markers", {})[id(body)] = x.split(" ")[0]
            self._else_body = None

    def blockvisit(self, nodes_, frame):
        name = self.__dict__.get("_markers", {}).pop(id(nodes_), None)
        if name:
            self.writeline(f"{name} = 0")
        super().blockvisit(nodes_, frame)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers overrides Jinja's tojson, which escapes HTML characters.
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def tojson_undefined_null(x, *args, **kwargs):
    return "null" if isinstance(x, jinja2.Undefined) else tojson(x, *args, **kwargs)


def int_strict(value, default=0, base=10):
    # minijinja's `int`: a string must be a number as written (no blanks around it); a list or
    # a map is an error; other values as Jinja2 converts them.
    if isinstance(value, str):
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value):
            raise ValueError(f"cannot convert {value!r} to an integer")
        try:
            return int(value, base)
        except ValueError:
            return int(float(value))
    if isinstance(value, (list, tuple, dict)):
        raise TypeError("cannot convert a sequence or a map to an integer")
    return do_int(value, default, base)


def make_environment(now, flags):
    class Environment(ImmutableSandboxedEnvironment):
        if "no_percent_format" in flags:
            intercepted_binops = frozenset(["%"])

            def call_binop(self, context, operator, left, right):
                if operator == "%" and isinstance(left, str):
                    raise TypeError("printf-style formatting is not supported")
                return super().call_binop(context, operator, left, right)

        if "for_else_if_no_iteration" in flags:
            code_generator_class = ElseIfNoIteration

    env = Environment(
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[assistant_tracker("generation_inline" in flags), jinja2.ext.loopcontrols],
    )
    env.filters["tojson"] = tojson_undefined_null if "tojson_undefined_null" in flags else tojson
    if "int_strict" in flags:
        env.filters["int"] = int_strict
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.fromtimestamp(now, timezone.utc).strftime(fmt)
    return env


ENVIRONMENTS = {}


def render(case):
    key = (case.get("now", 0), frozenset(case.get("flags", [])))
    if key not in ENVIRONMENTS:
        ENVIRONMENTS[key] = make_environment(*key)
    return ENVIRONMENTS[key].from_string(case["template"]).render(**case["context"])


def main():
    sys.setrecursionlimit(10_000)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            result = {"id": case["id"], "ok": True, "output": render(case)}
        except Exception as error:  # noqa: BLE001 - every failure is an outcome to compare
            result = {"id": case["id"], "ok": False, "kind": type(error).__name__, "message": str(error)[:500]}
        # ensure_ascii keeps lone surrogates (which Python strings can hold) writable.
        out.write(json.dumps(result, ensure_ascii=True) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
