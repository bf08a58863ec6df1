import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/session";
import { ssoConfigured } from "@/lib/auth/options";
import { getEnv } from "@/lib/env";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { ssoRefusalMessage } from "@/lib/services/users";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const safeCallback = safeCallbackPath(callbackUrl);
  if (await getActor()) redirect(safeCallback);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Sign in to Assay</h1>
        <p className="muted">Model audits for fairness, explainability and robustness.</p>
        <SignInForm callbackUrl={safeCallback} sso={ssoConfigured() ? getEnv().ASSAY_OIDC_NAME : null} initialError={error ? (ssoRefusalMessage(error) ?? "Sign-in failed. Check your email and password.") : null} />
      </div>
    </main>
  );
}
