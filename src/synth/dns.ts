import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { constructId } from './props.js';

/**
 * Alias records (A and AAAA: the distribution has IPv6 on) in the hosted zone for every host
 * name attached to the distribution that belongs to the zone. Wildcard names get a wildcard
 * record, which Route 53 supports for alias records too.
 */
export function aliasRecords(scope: Construct, zone: route53.IHostedZone, distribution: cloudfront.IDistribution, hosts: readonly string[]): route53.RecordSet[] {
  const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
  const records: route53.RecordSet[] = [];
  for (const host of hosts) {
    const id = constructId('Alias', host.replace(/^\*\./, 'wildcard.'));
    records.push(new route53.ARecord(scope, `${id}A`, { zone, recordName: host, target }), new route53.AaaaRecord(scope, `${id}Aaaa`, { zone, recordName: host, target }));
  }
  return records;
}
