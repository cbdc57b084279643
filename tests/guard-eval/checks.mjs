// Check-digit algorithms and format validators for the guard-eval generator. The generator
// builds a value without its check character(s), then completes it by trying every candidate
// against the validator here, so each algorithm is written once (as a validator) and the
// generated positives and the corrupted decoys are both checked against it.
import { createHash } from 'node:crypto';

const digitsOf = (s) => [...s.replace(/\D/g, '')].map(Number);

export function luhn(s) {
  const d = digitsOf(s);
  let sum = 0;
  for (let i = d.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let x = d[i];
    if (alt) { x *= 2; if (x > 9) x -= 9; }
    sum += x;
  }
  return d.length > 1 && sum % 10 === 0;
}

// Verhoeff (Aadhaar).
const V_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const V_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 8, 7, 6, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
export function verhoeff(s) {
  const d = digitsOf(s).reverse();
  let c = 0;
  for (let i = 0; i < d.length; i++) c = V_D[c][V_P[i % 8][d[i]]];
  return c === 0;
}
export const aadhaar = (s) => /^[2-9]\d{3} ?\d{4} ?\d{4}$/.test(s) && verhoeff(s);

export function nhs(s) {
  const d = digitsOf(s);
  if (d.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += d[i] * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === d[9];
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
export function nif(s) {
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s.replace(/-/g, ''));
  if (!m || (m[1] ? m[2].length !== 7 : m[2].length !== 8)) return false;
  const n = Number((m[1] ? 'XYZ'.indexOf(m[1]) : '') + m[2]);
  return NIF_LETTERS[n % 23] === m[3];
}

export function pesel(s) {
  const d = digitsOf(s);
  if (d.length !== 11) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = w.reduce((a, x, i) => a + x * d[i], 0);
  return (10 - (sum % 10)) % 10 === d[10];
}

export function tfn(s) {
  const d = digitsOf(s);
  if (d.length !== 9) return false;
  const w = [1, 4, 3, 7, 5, 8, 6, 9, 10];
  return w.reduce((a, x, i) => a + x * d[i], 0) % 11 === 0;
}

export function abn(s) {
  const d = digitsOf(s);
  if (d.length !== 11 || d[0] === 0) return false;
  d[0] -= 1;
  const w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  return w.reduce((a, x, i) => a + x * d[i], 0) % 89 === 0;
}

export function medicare(s) {
  const d = digitsOf(s);
  if (d.length !== 10 || d[0] < 2 || d[0] > 6 || d[9] === 0) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9];
  return w.reduce((a, x, i) => a + x * d[i], 0) % 10 === d[8];
}

/** German Steuerliche Identifikationsnummer: digit-count rule + ISO 7064 MOD 11,10. */
export function steuerId(s) {
  const d = digitsOf(s);
  if (d.length !== 11 || d[0] === 0) return false;
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 10; i++) counts[d[i]]++;
  const multi = counts.filter((c) => c > 1);
  if (multi.length !== 1 || multi[0] > 3) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (d[i] + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === d[10];
}

// Codice fiscale: odd positions (1-based) through ODD, even positions through their ordinal.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const cfIndex = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65);
export function codiceFiscale(s) {
  if (!/^[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? CF_ODD[cfIndex(s[i])] : cfIndex(s[i]);
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

export function aba(s) {
  const d = digitsOf(s);
  if (d.length !== 9) return false;
  const p = Number(s.slice(0, 2));
  if (!((p >= 1 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p === 80)) return false;
  return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 === 0;
}

export const sin = (s) => /^[1-79]\d{2}[ -]?\d{3}[ -]?\d{3}$/.test(s) && luhn(s);

export function ssn(s) {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(s);
  if (!m) return false;
  const area = Number(m[1]);
  return area !== 0 && area !== 666 && area < 900 && m[2] !== '00' && m[3] !== '0000';
}
export function itin(s) {
  const m = /^9\d{2}-(\d{2})-\d{4}$/.exec(s);
  if (!m) return false;
  const g = Number(m[1]);
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

export const IBAN_LENGTHS = { DE: 22, GB: 22, FR: 27, ES: 24, IT: 27, NL: 18, BE: 16, CH: 21, AT: 20, PL: 28, SE: 24, NO: 15, DK: 18, FI: 18, IE: 22, PT: 25 };
export function iban(s) {
  const c = s.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(c) || IBAN_LENGTHS[c.slice(0, 2)] !== c.length) return false;
  const moved = c.slice(4) + c.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const x of v) rem = (rem * 10 + Number(x)) % 97;
  }
  return rem === 1;
}

// Base58Check and bech32/bech32m (Bitcoin).
export const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const sha256d = (buf) => createHash('sha256').update(createHash('sha256').update(buf).digest()).digest();
export function base58Encode(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let out = '';
  while (n > 0n) { out = B58[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = '1' + out; }
  return out;
}
export function base58Decode(s) {
  let n = 0n;
  for (const ch of s) { const v = B58.indexOf(ch); if (v < 0) return null; n = n * 58n + BigInt(v); }
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const lead = /^1*/.exec(s)[0].length;
  return Buffer.concat([Buffer.alloc(lead), n === 0n ? Buffer.alloc(0) : Buffer.from(hex, 'hex')]);
}
export function base58check(s) {
  const b = base58Decode(s);
  if (!b || b.length !== 25 || (b[0] !== 0 && b[0] !== 5)) return false;
  return sha256d(b.subarray(0, 21)).subarray(0, 4).equals(b.subarray(21));
}
export const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
function polymod(values) {
  const G = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= G[i];
  }
  return chk >>> 0;
}
const hrpExpand = (hrp) => [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
export function bech32Checksum(hrp, data, constant) {
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  return [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
}
export function toWords(bytes) {
  const out = [];
  let acc = 0, bits = 0;
  for (const b of bytes) { acc = (acc << 8) | b; bits += 8; while (bits >= 5) { bits -= 5; out.push((acc >>> bits) & 31); } }
  if (bits) out.push((acc << (5 - bits)) & 31);
  return out;
}
export function bech32Address(s) {
  const m = /^bc1([qp])([a-z0-9]+)$/.exec(s);
  if (!m) return false;
  const data = [...s.slice(3)].map((c) => BECH32.indexOf(c));
  if (data.includes(-1)) return false;
  const constant = data[0] === 0 ? 1 : 0x2bc830a3;
  return polymod([...hrpExpand('bc'), ...data]) === constant;
}
export const bitcoin = (s) => (s.startsWith('bc1') ? bech32Address(s) : base58check(s));

// CRC32 (IEEE) and GitHub/npm base62 checksummed tokens.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(str) {
  let crc = 0xffffffff;
  for (let i = 0; i < str.length; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ str.charCodeAt(i)) & 0xff];
  return (crc ^ 0xffffffff) >>> 0;
}
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function base62(n, width) {
  let s = '';
  do { s = BASE62[n % 62] + s; n = Math.floor(n / 62); } while (n > 0);
  return s.padStart(width, '0');
}
/** `ghp_…`/`npm_…`: prefix + 30 base62 + base62(CRC32 of the 30) padded to 6. */
export function checksummedToken(s) {
  const m = /^(gh[pousr]_|npm_)([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(s);
  return !!m && base62(crc32(m[2]), 6) === m[3];
}

/** Validators by label, for the types whose validity has a check digit. */
export const VALIDATORS = {
  CREDIT_CARD: luhn, IBAN: iban, US_SSN: ssn, US_ITIN: itin, ABA_ROUTING: aba, UK_NHS: nhs, CA_SIN: sin,
  DE_TAX_ID: steuerId, ES_NIF: nif, IT_FISCAL_CODE: codiceFiscale, PL_PESEL: pesel, AU_TFN: tfn, AU_ABN: abn,
  AU_MEDICARE: medicare, IN_AADHAAR: aadhaar, BITCOIN_ADDRESS: bitcoin, GITHUB_TOKEN: (s) => s.startsWith('github_pat_') || checksummedToken(s),
  NPM_TOKEN: checksummedToken,
};
