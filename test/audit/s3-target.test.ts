/**
 * `--target` with an s3 store (a real S3-protocol server on 127.0.0.1): every key of the
 * bucket is requested as well, so an object no page links is still checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { S3Store } from '../../src/store/s3-store.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { serveFixture, type Fixture } from './fixture.js';
import { exampleSite } from './sites.js';

let s3: S3rverHandle;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
});
afterAll(() => s3.stop());

describe('edgeship audit URL --target <s3 target>', () => {
  it('requests the keys of the bucket too: an unlinked object with a wrong type is found only then', async () => {
    const base = exampleSite();
    const fixture: Fixture = {
      ...base,
      config: { ...base.config, targets: { staging: { store: { type: 's3', bucket: 'site', endpoint: s3.endpoint, forcePathStyle: true } } } },
      files: { ...base.files, 'downloads/notes.txt': { body: 'unlinked', contentType: 'application/octet-stream' } },
    };
    const store = new S3Store({ bucket: 'site', endpoint: s3.endpoint, forcePathStyle: true });
    const served = await serveFixture(fixture, { store });
    try {
      const withTarget = memoryIo(served.dir);
      expect(await runCli(['audit', served.url, '--target', 'staging', '--json', '--concurrency', '4'], withTarget)).toBe(1);
      const report = JSON.parse(withTarget.stdout) as { findings: { rule: string; url: string }[] };
      expect(report.findings.map((f) => [f.rule, f.url])).toEqual([['content-type', `${served.url}/downloads/notes.txt`]]);

      const linksOnly = memoryIo(served.dir);
      expect(await runCli(['audit', served.url, '--json', '--concurrency', '4'], linksOnly)).toBe(0);
      expect((JSON.parse(linksOnly.stdout) as { findings: unknown[] }).findings).toEqual([]);
    } finally {
      await served.close();
      store.destroy();
    }
  });
});
