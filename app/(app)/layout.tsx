import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { ROLE_LABELS, can } from "@/lib/auth/roles";
import { SignOutButton } from "./_components/sign-out-button";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          Assay
        </Link>
        <nav aria-label="Main">
          <Link href="/">Projects</Link>
          <Link href="/audits">Audits</Link>
          {can(actor, "decide_review") ? <Link href="/reviews">My reviews</Link> : null}
          <Link href="/verify">Verify</Link>
          {can(actor, "read_trail") ? <Link href="/settings/activity">Activity</Link> : null}
          <Link href="/settings">Settings</Link>
          {can(actor, "manage_users") ? <Link href="/settings/users">Users</Link> : null}
        </nav>
        <div className="user">
          <span title={actor.email}>{actor.name}</span>
          <span className="badge">{ROLE_LABELS[actor.role]}</span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
