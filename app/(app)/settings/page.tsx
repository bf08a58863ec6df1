import { requirePermission } from "@/lib/auth/session";
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
      <h2>API tokens</h2>
      <p className="muted">
        For pipelines: <code>npx assay submit SPEC --server URL --token TOKEN</code>, or <code>Authorization: Bearer TOKEN</code> on the REST API. A token acts with your role (
        {actor.role}); only its hash is stored, so copy it when it is shown.
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
                <td>{t.revokedAt ? <span className="badge">revoked</span> : <span className="badge pass">active</span>}</td>
                <td>{t.revokedAt ? null : <RevokeButton tokenId={t.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
