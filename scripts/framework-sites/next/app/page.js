import Image from 'next/image';
import Link from 'next/link';

// next/image does not add `basePath` to a string src: a site under a base path says it itself.
const base = process.env.NEXT_PUBLIC_BASE_PATH ?? '';

const cards = [
  { slug: 'hello', src: `${base}/images/pack.jpg`, title: 'Packs' },
  { slug: 'world', src: `${base}/images/ridge.jpg`, title: 'Ridges' },
  { slug: 'hello', src: `${base}/images/tent.png`, title: 'Tents' },
];

export default function Home() {
  return (
    <>
      <h1>Gear for the long way round</h1>
      <Image className="hero" src={`${base}/images/team.jpg`} alt="The team on the ridge" width={1200} height={800} priority />
      <p>
        <Link href="/about">About us</Link> · <Link href="/blog/hello">Hello</Link>
      </p>
      <section className="cards">
        {cards.map((card) => (
          <Link key={card.title} href={`/blog/${card.slug}`}>
            <Image src={card.src} alt={card.title} width={600} height={400} sizes="(max-width: 767px) 100vw, 33vw" />
            <h2>{card.title}</h2>
          </Link>
        ))}
      </section>
    </>
  );
}
