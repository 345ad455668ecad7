/**
 * What a config file may import from `edgeship`. Config loading points `edgeship` here, so that
 * reading `edgeship.config.ts` never loads sharp, the AWS SDK or the edge.
 */
export { defineConfig } from './define.js';
export { nextjsExport, PRESETS } from './presets/index.js';
export type { EdgeshipConfig } from './schema.js';
