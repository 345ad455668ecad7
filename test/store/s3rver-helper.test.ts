import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startS3rver } from '../helpers/s3rver.js';

describe('test helper: startS3rver', () => {
  it('serves the S3 protocol on 127.0.0.1 with the bucket, and stops cleanly', async () => {
    const s3 = await startS3rver({ bucket: 'helper-check' });
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${s3.endpoint}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Name>helper-check</Name>');
    await s3.stop();
    await s3.stop();
    await expect(fetch(`${s3.endpoint}/`)).rejects.toThrow();
    await expect(stat(s3.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
