import { W1 } from '/work/shared/bench/workloads/index.mjs';
const { inputs } = W1.generate();
const names = ['name', 'age', 'city'];
const buf = new Uint8Array(16384);
const encoder = new TextEncoder();
function readSlots(names, data) { const slots = new Array(names.length * 2); for (let i = 0; i < names.length; i++) { const v = data[names[i]]; slots[2*i] = 115; slots[2*i+1] = v; } return slots; }
function writeSlots(slots, buffer) {
  let at = 0;
  for (let i = 0; i < slots.length; i += 2) {
    if (i > 0) buffer[at++] = 0;
    const text = slots[i + 1]; buffer[at++] = slots[i];
    const n = text.length; let k = 0;
    for (; k < n; k++) { const code = text.charCodeAt(k); if (code - 1 >>> 0 >= 0x7f) break; buffer[at++] = code; }
    if (k < n) at += encoder.encodeInto(k === 0 ? text : text.slice(k), buffer.subarray(at)).written;
  }
  return at;
}
function writeUtf8(data, names, buffer) {
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    if (i > 0) buffer[at++] = 0;
    const text = data[names[i]]; buffer[at++] = 115;
    for (let k = 0, n = text.length; k < n; k++) {
      let c = text.charCodeAt(k);
      if (c < 0x80) { buffer[at++] = c; }
      else if (c < 0x800) { buffer[at++] = 0xc0 | (c >> 6); buffer[at++] = 0x80 | (c & 63); }
      else if (c >= 0xd800 && c < 0xdc00 && k + 1 < n && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) { c = 0x10000 + ((c & 0x3ff) << 10) + (text.charCodeAt(++k) & 0x3ff); buffer[at++] = 0xf0 | (c >> 18); buffer[at++] = 0x80 | ((c >> 12) & 63); buffer[at++] = 0x80 | ((c >> 6) & 63); buffer[at++] = 0x80 | (c & 63); }
      else { if ((c & 0xf800) === 0xd800) c = 0xfffd; buffer[at++] = 0xe0 | (c >> 12); buffer[at++] = 0x80 | ((c >> 6) & 63); buffer[at++] = 0x80 | (c & 63); }
    }
  }
  return at;
}
function bench(label, f, N=2_000_000){ let s=0; for(let i=0;i<200000;i++) s+=f(i); const t=performance.now(); for(let i=0;i<N;i++) s+=f(i); const ms=performance.now()-t; console.log(label.padEnd(30), (ms*1e6/N).toFixed(0),'ns'); return s;}
for (let r = 0; r < 2; r++) {
bench('read+write (current)', i => writeSlots(readSlots(names, inputs[i & 255]), buf));
bench('manual utf8 single pass', i => writeUtf8(inputs[i & 255], names, buf));
bench('template literal', i => { const v = inputs[i & 255]; return `Hello ${v.name}, you are ${v.age} years old and live in ${v.city}.`.length; });
}
const b16 = new Uint16Array(8192);
function write16(data, names, buffer) {
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    const text = data[names[i]]; const n = text.length;
    buffer[at] = 115; buffer[at + 1] = n & 0xffff; buffer[at + 2] = n >>> 16; at += 3;
    for (let k = 0; k < n; k++) buffer[at++] = text.charCodeAt(k);
  }
  return at;
}
for (let r = 0; r < 3; r++) {
bench('utf16 writer', i => write16(inputs[i & 255], names, b16));
bench('manual utf8 single pass', i => writeUtf8(inputs[i & 255], names, buf));
}
