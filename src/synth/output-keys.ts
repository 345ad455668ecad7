/**
 * Stack output keys the generated stack exports and `edgeship deploy --stack` reads. Kept apart
 * from the construct so reading a stack does not load aws-cdk-lib.
 */
export const OUTPUT_KEYS = { bucketName: 'BucketName', distributionId: 'DistributionId', distributionDomainName: 'DistributionDomainName', keyValueStoreArn: 'KeyValueStoreArn' } as const;
