// Shared by the JS suite: which backend this run is for, and the vectors.
import { readFileSync } from 'node:fs';

export const wantedBackend = process.env.BRIDLE_BACKEND;
export function loadVectors(name) {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8'));
}
