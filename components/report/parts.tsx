// Small presentational pieces shared by the report tabs and the comparison: status badges,
// metric names with their plain-language explanation, "—" with its reason, figures and the
// "not run" message. No logic: everything they show arrives finished from lib/views.

import type { ReactNode } from "react";
import { CHANGE_STATUS, STATUS_COLORS, type Status } from "@/lib/views/palette";
import type { Change } from "@/lib/views/directions";
import s from "./report.module.css";

export function Badge({ status, children, title }: { status: Status; children: ReactNode; title?: string }) {
  const c = STATUS_COLORS[status];
  return (
    <span className={s.badge} style={{ color: c.text, background: c.background }} title={title}>
      {children}
    </span>
  );
}

export function PassFail({ pass }: { pass: boolean | null }) {
  if (pass === null) return <Badge status="neutral">n/a</Badge>;
  return pass ? <Badge status="pass">✓ pass</Badge> : <Badge status="fail">✗ fail</Badge>;
}

const CHANGE_TEXT: Record<Change, string> = { better: "better", worse: "worse", same: "same", "n/a": "" };
const CHANGE_ICON: Record<Change, string> = { better: "▲", worse: "▼", same: "=", "n/a": "" };

/** A delta coloured by whether the change is better or worse; the word is in the text too. */
export function ChangeBadge({ change, delta }: { change: Change; delta: string }) {
  const label = CHANGE_TEXT[change];
  return (
    <Badge status={CHANGE_STATUS[change]} title={label ? `${delta}: ${label}` : delta}>
      {CHANGE_ICON[change]} {delta}
      {label ? <span className={s.srOnly}> ({label})</span> : null}
    </Badge>
  );
}

export function Flags({ flags }: { flags: readonly string[] }) {
  return (
    <>
      {flags.map((f) => (
        <span key={f} className={s.flag} style={{ color: f === "reference" ? STATUS_COLORS.info.text : f.startsWith("small") ? STATUS_COLORS.warn.text : f.startsWith("excluded") ? STATUS_COLORS.fail.text : STATUS_COLORS.neutral.text }}>
          {f}
        </span>
      ))}
    </>
  );
}

/** A metric's plain name; the one-line explanation as a tooltip and, when `explain`, as a caption. */
export function MetricName({ label, explanation, qualifier, explain = false }: { label: string; explanation: string; qualifier?: string; explain?: boolean }) {
  return (
    <>
      <span className={explanation ? s.metricName : undefined} title={explanation || undefined}>
        {label}
      </span>
      {qualifier ? <span className={s.cardMeta}> · {qualifier}</span> : null}
      {explain && explanation ? <span className={s.explain}>{explanation}</span> : null}
    </>
  );
}

/** A formatted value; "—" shows its reason underneath. */
export function Value({ text, reason, ci }: { text: string; reason?: string | null; ci?: string }) {
  if (reason) {
    return (
      <span className={s.nullValue} title={reason}>
        —<span className={s.nullReason}>{reason}</span>
      </span>
    );
  }
  return (
    <>
      {text}
      {ci ? <span className={s.ci}>{ci}</span> : null}
    </>
  );
}

export function Figure({ title, caption, children }: { title: string; caption?: ReactNode; children: ReactNode }) {
  return (
    <figure className={s.figure}>
      <figcaption>
        <strong>{title}</strong>
        {caption ? <span>{caption}</span> : null}
      </figcaption>
      {children}
    </figure>
  );
}

export function NotRun({ title, message }: { title: string; message: string }) {
  return (
    <div className={s.notRun} role="note">
      <strong>{title}</strong>
      {message}
    </div>
  );
}

export function Section({ title, lead, children, id }: { title: string; lead?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className={s.section} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead ? <p className={s.lead}>{lead}</p> : null}
      {children}
    </section>
  );
}
