// @ts-check
import { defineConfig } from 'astro/config';

// Astro's defaults: build.format 'directory' (about/index.html), trailingSlash 'ignore', outDir 'dist'.
export default defineConfig({});
