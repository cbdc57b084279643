import * as b from 'bridle';
for (const syntax of ['mustache', 'handlebars', 'jinja']) {
  const src = syntax === 'jinja' ? '{{ x }}|{{ l[0] }}' : syntax === 'mustache' ? '{{x}}|{{#l}}{{.}}{{/l}}' : '{{x}}|{{#each l}}{{this}}{{/each}}';
  console.log(syntax, b.render(src, { x: 2 ** 60, l: [2 ** 60] }, { syntax }));
}
