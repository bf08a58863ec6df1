import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Assay — model audits",
  description: "Fairness, explainability and robustness audits of trained models.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
