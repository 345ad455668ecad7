import './globals.css';

export const metadata = { title: 'Trailhead Outfitters', description: 'Gear for the long way round.' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <header>
          <a href="/">Trailhead</a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
