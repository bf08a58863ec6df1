import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { listApiTokens } from "@/lib/services/api-tokens";
import { formatDate } from "@/lib/format";
import { TokenForm, RevokeButton } from "./token-forms";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const actor = await requirePermission("own_tokens", "/settings");
  const tokens = await listApiTokens(actor);
  return (
    <>
      <h1>Settings</h1>
      <h2>Your account</h2>
      <p>
        {actor.name} · {actor.email} · {ROLE_LABELS[actor.role]} · <Link href="/change-password?callbackUrl=/settings">Change password</Link>
      </p>
      <h2>API tokens</h2>
      <p className="muted">
        For pipelines: <code>npx assay submit SPEC --server URL --token TOKEN</code>, or <code>Authorization: Bearer TOKEN</code> on the REST API. A token acts with your role (
        {ROLE_LABELS[actor.role]}); only its hash is stored, so copy it when it is shown. An expired token is refused (401).
      </p>
      <TokenForm />
      {tokens.length ? (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Token</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{formatDate(t.createdAt)}</td>
                <td>{t.lastUsedAt ? formatDate(t.lastUsedAt) : "never"}</td>
                <td>{t.expiresAt ? formatDate(t.expiresAt) : "never"}</td>
                <td>{t.revokedAt ? <span className="badge">revoked</span> : t.expiresAt && t.expiresAt.getTime() <= Date.now() ? <span className="badge">expired</span> : <span className="badge pass">active</span>}</td>
                <td>{t.revokedAt ? null : <RevokeButton tokenId={t.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
