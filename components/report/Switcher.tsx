"use client";
// A labelled <select> that shows one of several prepared panels (attribute, intersection, …).
// Panels are rendered by the server; this only chooses which one is visible.

import { useId, useState, type ReactNode } from "react";
import s from "./report.module.css";

export interface SwitcherOption {
  id: string;
  label: string;
  content: ReactNode;
}

export function Switcher({ label, options, hint }: { label: string; options: SwitcherOption[]; hint?: string }) {
  const uid = useId();
  const [chosen, setChosen] = useState(options[0]?.id ?? "");
  const current = options.find((o) => o.id === chosen) ?? options[0];
  return (
    <div>
      <div className={s.controls}>
        <label htmlFor={`${uid}-select`}>{label}</label>
        <select id={`${uid}-select`} value={current?.id} onChange={(e) => setChosen(e.target.value)} aria-describedby={hint ? `${uid}-hint` : undefined}>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        {hint ? (
          <span id={`${uid}-hint`} className={s.cardMeta}>
            {hint}
          </span>
        ) : null}
      </div>
      <div key={current?.id} role="region" aria-label={current?.label}>
        {current?.content}
      </div>
    </div>
  );
}
