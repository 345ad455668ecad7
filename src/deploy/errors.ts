import { EdgeshipError, EXIT } from '../errors.js';

/** Stable codes of the errors `edgeship deploy` and `edgeship invalidate` end with. */
export const DEPLOY_ERRORS = {
  noSite: 'DEPLOY_NO_SITE',
  emptySite: 'DEPLOY_EMPTY_SITE',
  symlinkOutside: 'DEPLOY_SYMLINK_OUTSIDE',
  reservedKey: 'DEPLOY_RESERVED_KEY',
  badFileName: 'DEPLOY_BAD_FILE_NAME',
  tooManyDeletes: 'DEPLOY_TOO_MANY_DELETES',
  unknownTarget: 'DEPLOY_UNKNOWN_TARGET',
  badManifest: 'DEPLOY_BAD_MANIFEST',
  manifestChanged: 'DEPLOY_MANIFEST_CHANGED',
  storeFailed: 'DEPLOY_STORE_FAILED',
  deleteFailed: 'DEPLOY_DELETE_FAILED',
  /** Per-key error of a delete the store wrapper refused: the key was written by this deploy. */
  deleteProtected: 'DEPLOY_DELETE_PROTECTED',
  badInvalidationPath: 'INVALIDATE_BAD_PATH',
  invalidationFailed: 'INVALIDATE_FAILED',
  cancelled: 'DEPLOY_CANCELLED',
  notAtomic: 'DEPLOY_NOT_ATOMIC',
} as const;

export function badInput(code: string, message: string, hint?: string): EdgeshipError {
  return new EdgeshipError(code, message, { exitCode: EXIT.usage, hint });
}
