import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What `edgeship deploy` does, as IAM actions: list the bucket; read, write and delete its
 * objects (uploads, server-side copies for header changes, the manifest and its lock,
 * multipart uploads and their abort); create an invalidation and read it back (`--wait`).
 */
export const DEPLOY_ACTIONS = {
  bucket: ['s3:ListBucket'],
  objects: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  distribution: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
} as const;

/** Gives `grantee` exactly the deploy actions, scoped to the bucket, its objects and the distribution. */
export function grantDeploy(grantee: iam.IGrantable, bucket: s3.IBucket, distribution: cloudfront.IDistribution): iam.Grant {
  const objects = iam.Grant.addToPrincipal({ grantee, actions: [...DEPLOY_ACTIONS.objects], resourceArns: [bucket.arnForObjects('*')] });
  const list = iam.Grant.addToPrincipal({ grantee, actions: [...DEPLOY_ACTIONS.bucket], resourceArns: [bucket.bucketArn] });
  const invalidate = distribution.grant(grantee, ...DEPLOY_ACTIONS.distribution);
  return objects.combine(list).combine(invalidate);
}
