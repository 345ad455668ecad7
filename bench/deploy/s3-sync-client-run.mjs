// The two-pass `aws s3 sync` done with s3-sync-client (a second reference in the benchmark).
// Usage: node s3-sync-client-run.mjs <endpoint> <bucket> <siteDir>
import { S3Client } from '@aws-sdk/client-s3';
import { S3SyncClient } from 's3-sync-client';

const [endpoint, bucket, siteDir] = process.argv.slice(2);
const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
const { sync } = new S3SyncClient({ client });
await sync(siteDir, `s3://${bucket}`, { del: true, filters: [{ exclude: (key) => key.startsWith('images/') }], maxConcurrentTransfers: 16 });
await sync(`${siteDir}/images`, `s3://${bucket}/images`, { commandInput: { CacheControl: 'public, max-age=31536000, immutable' }, maxConcurrentTransfers: 16 });
