// Choose a new password: required after an admin's reset or for a new account (a one-time
// password), and where anyone changes theirs (from Settings). Ends the user's other sessions.

import Link from "next/link";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { ChangePasswordForm } from "./change-password-form";

export const dynamic = "force-dynamic";

export default async function ChangePasswordPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/change-password")}`);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{actor.mustChangePassword ? "Choose your password" : "Change your password"}</h1>
        <p className="muted">
          {actor.mustChangePassword
            ? `You signed in as ${actor.email} with a one-time password. Choose your own before anything else: at least 12 characters, not your email address.`
            : "At least 12 characters, not your email address. Your other sessions end; this one stays signed in."}
        </p>
        <ChangePasswordForm callbackUrl={safeCallbackPath(callbackUrl)} />
        {actor.mustChangePassword ? null : (
          <p className="muted small">
            <Link href="/settings">Back to settings</Link>
          </p>
        )}
      </div>
    </main>
  );
}
