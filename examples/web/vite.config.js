import { defineConfig } from 'vite';

// Nothing Bridle-specific is needed: Vite resolves `bridle` through its `browser` export
// condition and emits the .wasm files the web entry finds with new URL(..., import.meta.url)
// as assets (and rewrites those URLs when it pre-bundles the package in dev).
export default defineConfig({
  // Relative asset URLs: the built dist/ works from whatever path it is served under.
  base: './',
});
