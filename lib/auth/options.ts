// next-auth configuration: email + password (bcrypt) and, when configured, one OpenID Connect
// provider for single sign-on. JWT sessions carry only the user id; the role is read from the
// database on every request (lib/auth/session.ts), so role changes apply at once.

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getEnv } from "../env";
import { authSecret } from "./secret";
import { SESSION_MAX_AGE_S, secureSessionCookies } from "./session-cookie";
import { sameOriginRedirect } from "./redirect";
import { authenticateWithPassword, findOrCreateSsoUser, sessionVersionOf } from "../services/users";
import { recordEventSafely } from "../services/events";

export function ssoConfigured(): boolean {
  const env = getEnv();
  return Boolean(env.ASSAY_OIDC_ISSUER && env.ASSAY_OIDC_CLIENT_ID && env.ASSAY_OIDC_CLIENT_SECRET);
}

let cached: NextAuthOptions | null = null;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        const actor = await authenticateWithPassword(credentials.email, credentials.password);
        if (actor) await recordEventSafely({ actor, action: "sign_in", target: { type: "user", id: actor.id }, summary: "email and password" });
        else {
          const email = credentials.email.trim().toLowerCase().slice(0, 200);
          await recordEventSafely({ actor: { id: null, email }, action: "sign_in_failed", target: { type: "session", id: "credentials" }, summary: `email and password for ${email}` });
        }
        return actor ? { id: actor.id, email: actor.email, name: actor.name, sv: actor.sessionVersion } : null;
      },
    }),
  ];
  if (ssoConfigured()) {
    providers.push({
      id: "oidc",
      name: env.ASSAY_OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.ASSAY_OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.ASSAY_OIDC_CLIENT_ID!,
      clientSecret: env.ASSAY_OIDC_CLIENT_SECRET!,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(p: { sub: string; email?: string; name?: string }) {
        return { id: p.sub, email: p.email ?? null, name: p.name ?? p.email ?? p.sub };
      },
    });
  }
  cached = {
    secret: authSecret(),
    useSecureCookies: secureSessionCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/sign-in" },
    providers,
    callbacks: {
      async redirect({ url, baseUrl }) {
        return sameOriginRedirect(url, baseUrl);
      },
      async signIn({ user, account, profile }) {
        if (account?.provider === "oidc") {
          const claims = (profile ?? {}) as { sub?: string; email?: string; email_verified?: unknown; name?: string };
          const result = await findOrCreateSsoUser({
            issuer: getEnv().ASSAY_OIDC_ISSUER!,
            subject: claims.sub ?? account.providerAccountId,
            email: claims.email ?? user.email,
            emailVerified: claims.email_verified,
            name: claims.name ?? user.name,
          });
          if (typeof result === "string") {
            const email = String(claims.email ?? user.email ?? claims.sub ?? "").slice(0, 200);
            await recordEventSafely({ actor: { id: null, email }, action: "sign_in_failed", target: { type: "session", id: "oidc" }, summary: `single sign-on refused: ${result}` });
            return `/sign-in?error=${result}`;
          }
          user.id = result.id;
          (user as { sv?: number }).sv = await sessionVersionOf(result.id);
          await recordEventSafely({ actor: result, action: "sign_in", target: { type: "user", id: result.id }, summary: "single sign-on" });
        }
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          // the user's session version at sign-in: a password change or reset raises it and ends this session
          token.sv = (user as { sv?: number }).sv ?? 0;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") {
          (session.user as { id?: string }).id = token.uid;
          (session.user as { sv?: number }).sv = typeof token.sv === "number" ? token.sv : 0;
        }
        return session;
      },
    },
  };
  return cached;
}
