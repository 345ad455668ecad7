import { z } from 'zod';

/**
 * `edge.viewer`: who the local edge takes the viewer to be, for the headers CloudFront adds
 * about the viewer when a behavior's cache key names them (`CloudFront-Viewer-Country`,
 * `CloudFront-Is-Mobile-Viewer`, ...; src/edge/viewer-headers.ts). CloudFront derives them
 * from the viewer's IP address and User-Agent; a location field left out is a header CloudFront
 * could not determine, so it is not added.
 */
export const viewerSchema = z.strictObject({
  /** Device type (CloudFront-Is-*-Viewer). Default desktop. */
  device: z.enum(['desktop', 'mobile', 'tablet', 'smarttv']).default('desktop'),
  /** Operating system (CloudFront-Is-Android-Viewer, CloudFront-Is-IOS-Viewer). Default other. */
  os: z.enum(['android', 'ios', 'other']).default('other'),
  /** ISO 3166-1 alpha-2 code, e.g. `US` (CloudFront-Viewer-Country). */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US').optional(),
  /** e.g. `United States` (CloudFront-Viewer-Country-Name). */
  countryName: z.string().min(1).optional(),
  /** ISO 3166-2 subdivision code, e.g. `MI` (CloudFront-Viewer-Country-Region). */
  region: z.string().min(1).max(3).optional(),
  /** e.g. `Michigan` (CloudFront-Viewer-Country-Region-Name). */
  regionName: z.string().min(1).optional(),
  /** e.g. `Ann Arbor` (CloudFront-Viewer-City). */
  city: z.string().min(1).optional(),
  /** e.g. `48105` (CloudFront-Viewer-Postal-Code). */
  postalCode: z.string().min(1).optional(),
  /** IANA time zone, e.g. `America/Detroit` (CloudFront-Viewer-Time-Zone). */
  timeZone: z.string().min(1).optional(),
  /** Degrees (CloudFront-Viewer-Latitude / -Longitude). */
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  /** US metro code, e.g. `505` (CloudFront-Viewer-Metro-Code). */
  metroCode: z.string().regex(/^\d+$/).optional(),
  /** Autonomous system number, e.g. `16509` (CloudFront-Viewer-ASN). */
  asn: z.string().regex(/^\d+$/).optional(),
});

export type ViewerConfig = z.output<typeof viewerSchema>;

/** What the local edge takes a viewer to be when `edge.viewer` is not set. */
export const DEFAULT_VIEWER: ViewerConfig = viewerSchema.parse({});

/** `edge` block: the local edge (`edgeship serve`, see src/edge). */
export const edgeSchema = z.strictObject({
  /**
   * JSON file backing the CloudFront Functions KeyValueStore (`cf.kvs()`), relative to the
   * config: `{ "key": "value", ... }`. Read once when the edge starts.
   */
  kvs: z.string().min(1).optional(),
  viewer: viewerSchema.optional(),
});

export type EdgeConfig = z.output<typeof edgeSchema>;
