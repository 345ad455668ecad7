// The example is built by build.mjs (no Next.js install needed) into the shape `next build`
// writes with this config: `out/`, pages as `page/index.html`, hashed `_next/static/`.
// `edgeship init` reads it as it reads any Next.js project's config.
/** @type {import('next').NextConfig} */
export default {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
};
