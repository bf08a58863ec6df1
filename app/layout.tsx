import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Assay — model audits",
  description: "Fairness, explainability and robustness audits of trained models.",
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }] },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
