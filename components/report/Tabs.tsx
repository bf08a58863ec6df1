"use client";
// Keyboard-accessible tabs (WAI-ARIA tabs pattern, automatic activation): arrow keys move and
// select, Home/End jump; the open tab is kept in the URL hash. A panel's content mounts the first
// time its tab opens and stays mounted, so charts measure a visible container.

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { nextTabIndex, tabFromHash } from "@/lib/views/tabs";
import s from "./report.module.css";

export interface TabItem {
  id: string;
  label: string;
  /** undefined: rendered on demand by `load` the first time the tab opens. */
  content: ReactNode | undefined;
}

export function Tabs({ tabs, label, useHash = true, load }: { tabs: TabItem[]; label: string; useHash?: boolean; load?: (id: string) => Promise<ReactNode> }) {
  const uid = useId();
  const [loaded, setLoaded] = useState<Record<string, { node?: ReactNode; error?: string }>>({});
  const requested = useRef<Set<string>>(new Set());
  const [active, setActive] = useState(tabs[0]?.id ?? "");
  const [visited, setVisited] = useState<ReadonlySet<string>>(() => new Set([tabs[0]?.id ?? ""]));
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const ids = tabs.map((t) => t.id);
  const idsKey = ids.join("|");

  const open = useCallback(
    (id: string, updateHash: boolean) => {
      setActive(id);
      setVisited((v) => (v.has(id) ? v : new Set([...v, id])));
      if (updateHash && useHash && typeof window !== "undefined") window.history.replaceState(null, "", `#${encodeURIComponent(id)}`);
    },
    [useHash],
  );

  useEffect(() => {
    if (!useHash) return;
    const fromHash = () => {
      const id = tabFromHash(window.location.hash, idsKey.split("|"));
      if (id) open(id, false);
    };
    fromHash();
    window.addEventListener("hashchange", fromHash);
    return () => window.removeEventListener("hashchange", fromHash);
  }, [useHash, idsKey, open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = ids.indexOf(active);
    const next = nextTabIndex(current, e.key, ids.length);
    if (next === null) return;
    e.preventDefault();
    open(ids[next]!, true);
    refs.current[next]?.focus();
  };

  // tabs without content are rendered on the server the first time they open
  useEffect(() => {
    if (!load) return;
    for (const t of tabs) {
      if (t.content !== undefined || !visited.has(t.id) || requested.current.has(t.id)) continue;
      requested.current.add(t.id);
      load(t.id).then(
        (node) => setLoaded((l) => ({ ...l, [t.id]: { node } })),
        () => setLoaded((l) => ({ ...l, [t.id]: { error: "This tab could not be loaded. Reload the page to try again." } })),
      );
    }
  }, [load, tabs, visited]);

  const body = (t: TabItem): ReactNode => {
    if (t.content !== undefined) return t.content;
    const l = loaded[t.id];
    if (l?.error) return <p role="alert">{l.error}</p>;
    if (l) return l.node;
    return (
      <p role="status" className={s.lead}>
        Loading {t.label.toLowerCase()}…
      </p>
    );
  };

  const tabId = (id: string) => `${uid}-tab-${id}`;
  const panelId = (id: string) => `${uid}-panel-${id}`;
  return (
    <div>
      <div role="tablist" aria-label={label} className={s.tablist} onKeyDown={onKeyDown}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={t.id === active}
            aria-controls={panelId(t.id)}
            tabIndex={t.id === active ? 0 : -1}
            className={s.tab}
            onClick={() => open(t.id, true)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) => (
        <div key={t.id} role="tabpanel" id={panelId(t.id)} aria-labelledby={tabId(t.id)} hidden={t.id !== active} tabIndex={0} className={s.tabpanel}>
          {visited.has(t.id) ? body(t) : null}
        </div>
      ))}
    </div>
  );
}
