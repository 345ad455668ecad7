import type { ObjectSummary } from '../store/types.js';

/** One file of the build folder, hashed. */
export interface LocalFile {
  /** Object key: the path relative to the site folder, `/`-separated. */
  key: string;
  absPath: string;
  size: number;
  mtimeMs: number;
  /** MD5 hex of the bytes. */
  md5: string;
  /** The multipart ETag (`<md5-of-part-md5s>-<parts>`) when the file is uploaded in parts. */
  multipartEtag?: string;
}

/** What the store lists for one key. */
export type RemoteObject = ObjectSummary;

/** One key as the deploy manifest remembers it. */
export interface ManifestEntry {
  md5: string;
  /** The ETag the store gave the object when edgeship wrote it: tells whether it changed since. */
  etag: string;
  size: number;
  cacheControl: string;
  contentType: string;
  /**
   * The deploys in which the key was part of the build: from `firstDeploy` to the latest
   * deploy while it is in the build, to `lastDeploy` once it left. Entries of keys in the build
   * therefore do not change from one deploy to the next.
   */
  firstDeploy: number;
  /** The last deploy that had the key; set once it left the build. */
  lastDeploy?: number;
  /** When the key first left the build (ISO time); set while it is retained. */
  removedAt?: string;
}

export interface ManifestDeploy {
  id: number;
  at: string;
}

/** The deploy manifest edgeship keeps in the store under `.edgeship/`. */
export interface Manifest {
  version: 1;
  /** Recent deploys, oldest first. */
  deploys: ManifestDeploy[];
  entries: Record<string, ManifestEntry>;
}

export type ActionKind = 'upload' | 'update-metadata' | 'delete' | 'retain' | 'skip';

/** Where an action runs in the ordered apply (see phases.ts). */
export type Phase = 'immutable' | 'assets' | 'metadata' | 'short' | 'html' | 'delete';

export interface PlanAction {
  key: string;
  action: ActionKind;
  /** Why, in words a user reads in the plan. */
  reason: string;
  /** Bytes sent to the store: the file size for an upload, 0 otherwise. */
  bytes: number;
  phase?: Phase;
  /** Headers the object gets (upload, update-metadata). */
  headers?: { cacheControl: string; contentType: string };
  /** The local file (upload, update-metadata, skip). */
  file?: LocalFile;
  /** True when a viewer may be served a cached copy of this key for a short time only (HTML and short-TTL). */
  shortTtl?: boolean;
  immutable?: boolean;
  /** An upload or metadata update of an object the store already had (what an edge may hold a copy of). */
  replaces?: boolean;
}

export interface PlanWarning {
  code: string;
  key: string;
  message: string;
}

export interface Plan {
  deployId: number;
  actions: PlanAction[];
  warnings: PlanWarning[];
  /** The manifest to write after the uploads. */
  manifest: Manifest;
  /**
   * False when the deploy changes nothing (no write, no delete, the same records): the manifest
   * is then not rewritten and the deploy not counted, so a no-change deploy sends no bytes.
   */
  manifestChanged: boolean;
  /** Objects the store holds for the site before the deploy (reserved keys not counted). */
  remoteCount: number;
  /** What viewers reach before the deploy and what the plan deletes of it (the delete guard's numbers). */
  live: LiveCounts;
}

/**
 * Stored objects that are part of the live site (in the last deploy, not retained now), and
 * the pages (HTML) among them; with the plan's deletes of each.
 */
export interface LiveCounts {
  objects: number;
  deletes: number;
  pages: number;
  pageDeletes: number;
}

export interface PlanTotals {
  upload: number;
  updateMetadata: number;
  delete: number;
  retain: number;
  skip: number;
  bytesUploaded: number;
}
