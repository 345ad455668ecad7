/**
 * The sandbox's `cloudfront` module (spec §7.6): the KeyValueStore handle, the origin helpers
 * and `edgeLocation`. Code inserted into PRELUDE (prelude.ts), in its scope: it uses the
 * prelude's `host` bridge, `hasOwn` and `binaryToBuffer`, and the invocation sets `eventType`.
 */
export const CLOUDFRONT_PRELUDE = String.raw`
  // cloudfront (§7.6): KeyValueStore, origin helpers, edgeLocation.
  let eventType = 'viewer-request';
  let store;
  let storeVersion;
  const kvsEntries = () => {
    // One cheap host call per read; the data is parsed again only after it changed.
    const version = host.kvsVersion();
    if (version !== storeVersion) {
      const json = host.kvs();
      store = json === '' ? null : JSON.parse(json);
      storeVersion = version;
    }
    if (store === null) throw new Error('cf.kvs(): no KeyValueStore is associated with this function (set kvsFile)');
    return store;
  };
  const checkKey = (key) => {
    const k = String(key);
    if (k.length === 0 || host.utf8Encode(k).length > 512) throw new Error('KeyValueStore: a key is 1 to 512 bytes');
    return k;
  };
  const kvsHandle = Object.freeze({
    async get(key, options) {
      const k = checkKey(key);
      const entries = kvsEntries().entries;
      if (!hasOwn(entries, k)) throw new Error('KeyValueStore: key "' + k + '" does not exist');
      const value = entries[k];
      const format = options && options.format !== undefined ? options.format : 'string';
      if (format === 'string') return value;
      if (format === 'json') return JSON.parse(value);
      if (format === 'bytes') return binaryToBuffer(host.utf8Encode(value));
      throw new Error('KeyValueStore: unknown format "' + format + '" (string, json, bytes)');
    },
    async exists(key) {
      return hasOwn(kvsEntries().entries, checkKey(key));
    },
    async meta() {
      const meta = kvsEntries().meta;
      return { creationDateTime: meta.creationDateTime, lastUpdatedDateTime: meta.lastUpdatedDateTime, keyCount: meta.keyCount };
    },
  });
  const originNote = (name) => function () {
    if (eventType !== 'viewer-request') throw new Error('cf.' + name + '() is available in viewer-request functions only');
    host.log('[edgeship] cf.' + name + '() has no effect on the local edge: it has one origin, the store');
  };
  const cloudfront = Object.freeze({
    kvs() { kvsEntries(); return kvsHandle; },
    updateRequestOrigin: originNote('updateRequestOrigin'),
    selectRequestOriginById: originNote('selectRequestOriginById'),
    createRequestOriginGroup: originNote('createRequestOriginGroup'),
    get edgeLocation() {
      return eventType === 'viewer-request' ? { name: 'LOCAL', serverIp: '127.0.0.1', region: 'local' } : {};
    },
  });
`;
