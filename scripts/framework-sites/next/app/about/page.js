import Link from 'next/link';

export const metadata = { title: 'About - Trailhead Outfitters' };

export default function About() {
  return (
    <>
      <h1>About</h1>
      <p>We make gear in small batches and repair what we sell.</p>
      <p>
        <Link href="/">Home</Link> · <Link href="/blog/world">World</Link>
      </p>
    </>
  );
}
