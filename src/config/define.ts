import type { EdgeshipConfig } from './schema.js';

/** Typed identity for `edgeship.config.ts`: `export default defineConfig({ ... })`. */
export function defineConfig(config: EdgeshipConfig): EdgeshipConfig {
  return config;
}
