/** @type {import('next').NextConfig} */
const nextConfig = {
  // a self-contained server in .next/standalone (nextjs.org/docs/app/api-reference/next-config-js/output)
  output: 'standalone',
  images: { unoptimized: true },
};

export default nextConfig;
