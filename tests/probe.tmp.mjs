import * as b from 'bridle';
for (const src of ['{{ xs[1:] }}', '{{ xs[1:2] }}', '{{ xs[a:b] }}', '{{ xs[1] }}', '{% for m in messages[1:] %}{{ m }}{% endfor %}', '{{ (xs)[1:] }}', '{{ f(xs)[1:] }}', '{{ xs.y[1:] }}'])
  console.log(src, b.Template.compile(src, { syntax: 'jinja' }).variables);
