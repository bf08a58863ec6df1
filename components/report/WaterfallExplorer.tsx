"use client";
// Pick an explained row from the table; its waterfall (d3 scale, SVG by React) goes from the
// base value (average prediction over the background) through each column's contribution to
// the model's output for that row.

import { useMemo, useState } from "react";
import { scaleLinear } from "d3";
import { explainedRows, waterfallView, type ShapRowsInput } from "@/lib/views/explanations";
import { fmtValue } from "@/lib/views/format";
import { GUIDE_COLOR, LOWERS_COLOR, RAISES_COLOR } from "@/lib/views/palette";
import s from "./report.module.css";

export function WaterfallExplorer({ shap }: { shap: ShapRowsInput }) {
  const rows = useMemo(() => explainedRows(shap), [shap]);
  const [index, setIndex] = useState(0);
  const w = waterfallView(shap, index);
  return (
    <div className={s.grid2}>
      <div>
        <p className={s.caption} style={{ marginBottom: "0.4rem" }}>
          {rows.length} explained rows. Choose one to see how its prediction is built.
        </p>
        <div className={s.scrollBox}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">Data row</th>
                <th scope="col" className={s.num}>
                  Prediction
                </th>
                <th scope="col">Largest contributions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.index} className={r.index === index ? s.selected : undefined}>
                  <td>
                    <button type="button" className={s.button} aria-pressed={r.index === index} onClick={() => setIndex(r.index)}>
                      row {r.row} <span className={s.cardMeta}>(line {r.line})</span>
                    </button>
                  </td>
                  <td className={s.num}>{r.prediction}</td>
                  <td className={s.cardMeta}>{r.top}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div>{w ? <Waterfall view={w} /> : null}</div>
    </div>
  );
}

function Waterfall({ view }: { view: NonNullable<ReturnType<typeof waterfallView>> }) {
  const width = 560;
  const left = 200;
  const right = 70;
  const rowH = 26;
  const top = 8;
  const n = view.steps.length + 2;
  const height = top + rowH * n + 40;
  const x = scaleLinear().domain(view.domain).nice().range([left, width - right]);
  const ticks = x.ticks(6);
  const yOf = (i: number) => top + rowH * i;
  return (
    <figure className={s.figure}>
      <figcaption>
        <strong>
          Data row {view.row} (file line {view.line}): prediction {view.predictionText}
        </strong>
        <span>
          Starts at the base value {view.baseText} (the average output over the background rows); each bar adds one column&apos;s contribution (vermillion raises, blue lowers) and ends at the
          model&apos;s output {view.outputText} ({view.unit} scale).
        </span>
      </figcaption>
      <svg className={s.svg} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Waterfall for data row ${view.row}: base ${view.baseText}, ${view.steps.map((st) => `${st.feature} ${st.phiText}`).join(", ")}, output ${view.outputText}`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top} y2={yOf(n)} stroke="#eef1f5" />
            <text x={x(t)} y={yOf(n) + 14} textAnchor="middle" fontSize={11} fill="#5b6470">
              {Number(t.toFixed(3))}
            </text>
          </g>
        ))}
        <text x={(left + width - right) / 2} y={height - 6} textAnchor="middle" fontSize={11.5}>
          Model output ({view.unit})
        </text>
        <line x1={x(view.base)} x2={x(view.base)} y1={top} y2={yOf(n)} stroke={GUIDE_COLOR} strokeDasharray="3 3" />
        <text x={left - 8} y={yOf(0) + rowH / 2 + 4} textAnchor="end" fontSize={12} fontWeight={600}>
          Base value
        </text>
        <circle cx={x(view.base)} cy={yOf(0) + rowH / 2} r={4} fill={GUIDE_COLOR} />
        <text x={x(view.base) + 8} y={yOf(0) + rowH / 2 + 4} fontSize={11}>
          {view.baseText}
        </text>
        {view.steps.map((st, i) => {
          const y = yOf(i + 1) + 4;
          const x0 = x(Math.min(st.start, st.end));
          const x1 = x(Math.max(st.start, st.end));
          return (
            <g key={st.feature}>
              <text x={left - 8} y={y + rowH / 2} textAnchor="end" fontSize={12}>
                {st.feature}
                {st.valueText ? <tspan fill="#5b6470"> = {st.valueText.length > 14 ? `${st.valueText.slice(0, 13)}…` : st.valueText}</tspan> : null}
              </text>
              <rect x={x0} y={y} width={Math.max(1, x1 - x0)} height={rowH - 8} fill={st.raises ? RAISES_COLOR : LOWERS_COLOR} rx={2}>
                <title>{`${st.feature}${st.valueText ? ` = ${st.valueText}` : ""}: ${st.phiText}`}</title>
              </rect>
              <text x={x1 + 4} y={y + rowH / 2 - 1} fontSize={11}>
                {st.phiText}
              </text>
            </g>
          );
        })}
        <text x={left - 8} y={yOf(n - 1) + rowH / 2 + 4} textAnchor="end" fontSize={12} fontWeight={600}>
          Output f(x)
        </text>
        <circle cx={x(view.output)} cy={yOf(n - 1) + rowH / 2} r={4.5} fill="#1b1f24" />
        <text x={x(view.output) + 8} y={yOf(n - 1) + rowH / 2 + 4} fontSize={11} fontWeight={600}>
          {fmtValue(view.output)}
        </text>
      </svg>
      <p className={s.caption}>{view.additivityText}</p>
    </figure>
  );
}
