import Link from 'next/link';

const posts = {
  hello: { title: 'Hello', body: 'The first post: what we pack for three days.' },
  world: { title: 'World', body: 'The second post: ridges we walked this year.' },
};

export function generateStaticParams() {
  return Object.keys(posts).map((slug) => ({ slug }));
}

export default async function Post({ params }) {
  const { slug } = await params;
  const post = posts[slug];
  return (
    <article>
      <h1>{post.title}</h1>
      <p>{post.body}</p>
      <Link href="/about">About</Link>
    </article>
  );
}
