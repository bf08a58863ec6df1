// Summary tab: verdict, one card per policy check, headline metrics (with the change from the
// previous version), warnings grouped by kind, what the audit is for and where the numbers come from.

import type { Report } from "@/lib/report/types";
import { STATUS_COLORS } from "@/lib/views/palette";
import { aboutAudit, disadvantageSummary, groupWarnings, headlineIntervalText, headlineIntervalTitle, headlineMetrics, policyCards, provenance, verdictOf } from "@/lib/views/summary";
import { fmtDate } from "@/lib/views/format";
import { Badge, ChangeBadge, MetricName, PassFail, Section } from "./parts";
import s from "./report.module.css";

export function SummaryTab({ report, previous }: { report: Report; previous?: Report | null }) {
  const verdict = verdictOf(report);
  const vc = STATUS_COLORS[verdict.status === "none" ? "neutral" : verdict.status];
  const cards = policyCards(report, previous);
  const headlines = headlineMetrics(report, previous);
  const warnings = groupWarnings(report.warnings);
  const about = aboutAudit(report);
  const who = disadvantageSummary(report);
  return (
    <div className={s.root}>
      <div className={s.verdict} style={{ background: vc.background, borderColor: vc.fill, color: vc.text }} role="status">
        <span className={s.verdictIcon} aria-hidden="true">
          {verdict.status === "pass" ? "✓" : verdict.status === "fail" ? "✗" : "○"}
        </span>
        <div>
          <h2>{verdict.title}</h2>
          <p>{verdict.detail}</p>
        </div>
      </div>

      {cards.length > 0 ? (
        <Section title="Policy checks" lead="Each check compares one number of this report with the limit set in the audit spec. A check without a value fails: a missing comparison never counts as fair.">
          <ul className={s.cards} style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label="Policy checks">
            {cards.map((c) => (
              <li key={c.key} className={s.card} style={{ borderLeftColor: c.pass ? STATUS_COLORS.pass.fill : STATUS_COLORS.fail.fill }} data-testid="policy-card">
                <div className={s.cardHead}>
                  <h3>
                    {c.label}
                    {c.qualifier ? <span className={s.cardMeta}> · {c.qualifier}</span> : null}
                  </h3>
                  <PassFail pass={c.pass} />
                </div>
                <div className={s.cardValue}>{c.value}</div>
                <div className={s.cardMeta}>{c.requirement}</div>
                <p className={s.meaning}>{c.meaning}</p>
                {c.note ? <div className={s.cardMeta}>Note: {c.note}</div> : null}
                {c.previous ? (
                  <div className={s.cardMeta}>
                    Previous version:{" "}
                    {c.previous.status === "absent" ? "not checked" : (
                      <>
                        {c.previous.value} <PassFail pass={c.previous.status === "pass"} />
                      </>
                    )}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {who ? (
        <Section title="Who is disadvantaged" lead={who.lead}>
          <ul className={s.findings} aria-label="Disadvantaged groups">
            {who.lines.map((l) => (
              <li key={`${l.attribute}-${l.kind}`} data-testid="disadvantage">
                {l.text}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {headlines.length > 0 ? (
        <Section title="Headline numbers" lead={previous ? "With the change from the previous version of the model (same dataset); ▲ better, ▼ worse." : `Hover a name for its meaning; brackets give the ${headlineIntervalTitle(headlines) === "Interval" ? "interval at the confidence level beside it" : headlineIntervalTitle(headlines)}.`}>
          <div className={s.headlines}>
            {headlines.map((h) => (
              <div key={h.key} className={s.headline}>
                <div>
                  <MetricName label={h.label} explanation={h.explanation} qualifier={h.qualifier} />
                </div>
                <div className={s.cardValue}>{h.value}</div>
                {h.ci ? <div className={s.cardMeta}>{headlineIntervalText(h, headlines)}</div> : null}
                {h.change ? (
                  <div className={s.cardMeta}>
                    was {h.change.previous} <ChangeBadge change={h.change.change} delta={h.change.delta} />
                  </div>
                ) : null}
              </div>
            ))}
          </div>
        </Section>
      ) : null}

      <Section title="Warnings" lead={warnings.length ? "Read these before relying on the numbers." : undefined}>
        {warnings.length === 0 ? (
          <p className={s.caption}>The engine raised no warnings.</p>
        ) : (
          warnings.map((g) => (
            <details key={g.id} className={s.fold} open>
              <summary>
                {g.title} <Badge status={g.id === "other" ? "neutral" : "warn"}>{g.items.length}</Badge>
              </summary>
              <p className={s.caption}>{g.meaning}</p>
              <ul>
                {g.items.map((w, i) => (
                  <li key={i} className={s.meaning}>
                    {w.message}
                  </li>
                ))}
              </ul>
            </details>
          ))
        )}
      </Section>

      <Section title="About this audit">
        <dl className={s.dl}>
          <dt>Audit</dt>
          <dd>
            {report.spec.name} · {fmtDate(report.createdAt)}
          </dd>
          {about.map((a) => (
            <div key={a.label} style={{ display: "contents" }}>
              <dt>{a.label}</dt>
              <dd>{a.value}</dd>
            </div>
          ))}
          {provenance(report).map((p) => (
            <div key={p.label} style={{ display: "contents" }}>
              <dt>{p.label}</dt>
              <dd className={p.code ? s.code : undefined}>{p.value}</dd>
            </div>
          ))}
        </dl>
      </Section>
    </div>
  );
}
