import { requirePermission } from "@/lib/auth/session";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { listUsers } from "@/lib/services/users";
import { formatDate } from "@/lib/format";
import { NewUserForm, ResetPasswordButton, UserControls } from "./user-forms";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await requirePermission("manage_users", "/settings/users");
  const users = await listUsers(actor);
  return (
    <>
      <h1>Users</h1>
      <p className="muted">
        Admins manage users and settings and may do everything; data scientists upload datasets and models, run audits and submit them for review; reviewers read everything, comment, decide reviews and read the activity log. Nobody approves an audit they started or submitted. A new user gets a one-time password and chooses their own at first sign-in.
      </p>
      <table className="data">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Since</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.name}</td>
              <td>{u.id === actor.id ? ROLE_LABELS[u.role] : <UserControls userId={u.id} role={u.role} disabled={u.disabled} />}</td>
              <td>{formatDate(u.createdAt)}</td>
              <td>{u.disabled ? <span className="badge">disabled</span> : <span className="badge pass">active</span>}</td>
              <td>{u.id === actor.id ? null : <ResetPasswordButton userId={u.id} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add a user</h2>
      <NewUserForm />
    </>
  );
}
