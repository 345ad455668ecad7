import Link from 'next/link';
import './globals.css';

export const metadata = { title: 'Trailhead Outfitters', description: 'Gear for the long way round.' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <header>
          <Link href="/">Trailhead</Link>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
