export { loadEdgeFunction, LOG_LIMIT_BYTES, type LoadEdgeFunctionOptions } from './runtime.js';
export { FunctionLoadError } from './errors.js';
export { KVS_LIMITS, readKvsFile, type KvsSnapshot } from './kvs.js';
export { MAX_CODE_BYTES, type FunctionRuntime } from './source.js';
export { isDisallowedHeader, READ_ONLY_HEADERS, parseQuery, serializeQuery } from './validate.js';
export {
  applyCfRequest,
  applyCfResponseHeaders,
  cloudFrontHeaderName,
  generatedResponse,
  parseCookies,
  parseSetCookies,
  rawQueryOf,
  responseForFunction,
  splitTarget,
  viewerRequestEvent,
  viewerResponseEvent,
  type AppliedRequest,
  type GeneratedResponse,
  type IncomingRequestLike,
  type ViewerRequestEventInit,
} from './event.js';
