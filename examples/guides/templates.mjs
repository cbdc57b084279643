import { Template, render } from 'bridle';

// Compile once, render many times. F-strings are the default: `{name}` inserts, `{{` is a brace.
const prompt = Template.compile('Summarise {text} for {audience}. Answer as {{"summary": "..."}}.');
console.log(prompt.variables.join(', '));
console.log(prompt.render({ text: 'Rust is a language.', audience: 'a child' }));

// Values that are not strings go in as JSON, as LangChain.js inserts them.
console.log(render('{count} tags: {tags}', { count: 2, tags: ['rust', 'wasm'] }));

// Mustache, Handlebars and Jinja walk lists and objects.
const docs = [{ id: 'm7', title: 'Specs' }, { id: 'faq', title: 'FAQ' }];
const mustache = Template.compile('{{#docs}}[{{id}}] {{title}}\n{{/docs}}', { syntax: 'mustache' });
console.log(mustache.render({ docs }));
const jinja = Template.compile('{% for d in docs %}{{ loop.index }}. {{ d.title | upper }}\n{% endfor %}', { syntax: 'jinja' });
console.log(jinja.render({ docs }));

// Errors carry a stable code and the place.
try {
  prompt.render({ text: 'Rust is a language.' });
} catch (error) {
  console.log(`${error.name} [${error.code}] ${error.message}`);
}
try {
  Template.compile('Hello {name');
} catch (error) {
  console.log(`${error.name} [${error.code}] ${error.message}\n${error.details.excerpt}`);
}
prompt.free();
