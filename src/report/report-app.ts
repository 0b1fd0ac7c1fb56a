/**
 * The database report's page script. It runs in the browser, inlined into the page with
 * `Function.prototype.toString`, so it is self-contained: it reads only the page's embedded data
 * (`#thingstape-data`) and `changeSummary` (inlined beside it), fetches nothing, and draws one
 * view at a time from the URL's hash (`#/timeline`, `#/day/2025-01-06`, `#/entity/<id>`,
 * `#/lists/<date>/<view>`, `#/anomalies`, `#/ledger`), so the browser's back button, links and
 * bookmarks work. Long lists are paged (100 rows a page; 50 days a page on the timeline): the page
 * holds only the rows it shows, whatever the size of the history.
 *
 * The project compiles without the DOM library, so the few DOM members used are declared here.
 *
 * One idea however long: the page is shipped as the text of one function, so its views, paging
 * and routing cannot be split into modules without a bundler; each view is one inner function.
 */

interface El {
  innerHTML: string;
  textContent: string | null;
  value: string;
  readonly dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  addEventListener(type: string, listener: (event: Ev) => void): void;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  closest(selector: string): El | null;
  focus(options?: { preventScroll?: boolean }): void;
  scrollIntoView(options?: { block?: string }): void;
}
interface Ev {
  readonly key: string;
  readonly target: El | null;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  preventDefault(): void;
}
interface Doc {
  title: string;
  readonly activeElement: El | null;
  getElementById(id: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  addEventListener(type: string, listener: (event: Ev) => void): void;
}
interface Win {
  readonly location: { hash: string };
  addEventListener(type: string, listener: () => void): void;
  scrollTo(x: number, y: number): void;
}
declare const performance: { mark(name: string): void };
declare const document: Doc;
declare const window: Win;
declare function changeSummary(
  type: string,
  payload: unknown,
  titleOf: (id: string) => string,
): string;

/** The page's script (see the module comment). */
export function reportApp(): void {
  type Data = {
    url: string;
    timeZone: string;
    cursor: number;
    head: number | null;
    schemaVersion: number;
    source: unknown;
    tables: { name: string; rows: number; deleted?: number }[];
    ledger: {
      tracking: boolean;
      counts: Record<string, number>;
      oldestPending: Record<string, unknown> | null;
      lastError: Record<string, unknown> | null;
    } | null;
    kinds: string[];
    entities: {
      id: string[];
      kind: number[];
      title: string[];
      status: number[];
      trashed: number[];
      deleted: (0 | [number, number | null, string])[];
      project: number[];
      area: number[];
      heading: number[];
      task: number[];
      tags: number[][];
      note: string[];
      startDate: (string | null)[];
      deadline: (string | null)[];
    };
    types: string[];
    changes: {
      serverIndex: number[];
      type: number[];
      entity: number[];
      at: (number | null)[];
      day: number[];
      payload: unknown[];
    };
    days: string[];
    lists: { dates: string[]; why: string; views: Record<string, number[]>[] };
    anomalies: {
      code: string;
      meaning: string;
      count: number;
      examples: [number, number, number, string, string, string][];
    }[];
  };
  const source = document.getElementById('thingstape-data');
  const view = document.getElementById('view');
  if (source === null || view === null) return;
  const data = JSON.parse(source.textContent ?? '{}') as Data;
  const E = data.entities;
  const C = data.changes;
  const PAGE = 100;
  const DAYS_PAGE = 50;
  const VIEWS = ['inbox', 'today', 'evening', 'upcoming', 'anytime', 'someday', 'logbook', 'trash'];
  const CATEGORIES = ['created', 'completed', 'moved', 'edited', 'deleted', 'other'];

  // Indexes built once: entity position by id, changes by entity and by day, day counts by category.
  const byId = new Map<string, number>();
  E.id.forEach((id, i) => byId.set(id, i));
  const changesOf: number[][] = E.id.map(() => []);
  const changesOnDay: number[][] = data.days.map(() => []);
  for (let i = 0; i < C.type.length; i++) {
    const e = C.entity[i] ?? -1;
    if (e >= 0) changesOf[e]?.push(i);
    changesOnDay[C.day[i] ?? 0]?.push(i);
  }
  const categoryOf = (type: string): number => {
    if (type.endsWith('Created')) return 0;
    if (/(Completed|Canceled|Uncompleted|Uncanceled)$/.test(type)) return 1;
    if (/(MovedTo|Rescheduled|AssignedTo|MovedUnder|Trashed|Restored)/.test(type)) return 2;
    if (type.endsWith('Deleted')) return 4;
    if (/(Changed|Renamed)$/.test(type)) return 3;
    return 5;
  };
  const typeCategory = data.types.map(categoryOf);
  const typeCounts = data.types.map(() => 0);
  for (const t of C.type) typeCounts[t] = (typeCounts[t] ?? 0) + 1;

  const esc = (text: unknown): string =>
    String(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  const num = (n: number): string => n.toLocaleString('en');
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: data.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const stamp = new Intl.DateTimeFormat('en-GB', {
    timeZone: data.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const time = (at: number | null | undefined): string =>
    at === null || at === undefined ? '—' : clock.format(new Date(at * 1000));
  const when = (at: number | null | undefined): string =>
    at === null || at === undefined ? 'no time' : stamp.format(new Date(at * 1000));
  const kindName = (e: number): string => data.kinds[E.kind[e] ?? 7] ?? 'unknown';
  const titleOf = (e: number): string => {
    const title = E.title[e];
    return title === undefined || title === '' ? `(untitled ${kindName(e)})` : title;
  };
  const titleOfId = (id: string): string => {
    const e = byId.get(id);
    return e === undefined ? id : titleOf(e);
  };
  const statusName = (s: number | undefined): string =>
    s === 0
      ? 'open'
      : s === 2
        ? 'canceled'
        : s === 3
          ? 'completed'
          : s === undefined || s < 0
            ? ''
            : `status ${s}`;
  const entityLink = (e: number): string =>
    e < 0
      ? '<span class="muted">(unknown)</span>'
      : `<a href="#/entity/${encodeURIComponent(E.id[e] ?? '')}">${esc(titleOf(e))}</a>${E.deleted[e] === 0 ? '' : ' <span class="muted">(deleted)</span>'}`;
  const dayLabel = (d: string): string => (d === '' ? 'no time' : d);
  const dayHref = (d: number, type: string): string =>
    `#/day/${encodeURIComponent(data.days[d] === '' ? 'none' : (data.days[d] ?? ''))}${type === '' ? '' : `?type=${encodeURIComponent(type)}`}`;

  const pager = (page: number, pages: number, base: string, where: 'top' | 'bottom'): string =>
    pages <= 1
      ? ''
      : `<nav class="pager" aria-label="Pages (${where})"><button type="button" data-go="${esc(`${base}page=${page - 1}`)}"${page <= 1 ? ' disabled' : ''}>← Previous</button><span>page ${page} of ${pages}</span><button type="button" data-go="${esc(`${base}page=${page + 1}`)}"${page >= pages ? ' disabled' : ''}>Next →</button><span class="muted">(keys: p / n)</span></nav>`;

  const changeRows = (indexes: readonly number[], withDay: boolean, withEntity: boolean): string =>
    `<table><thead><tr>${withDay ? '<th scope="col">day</th>' : ''}<th scope="col">time</th><th scope="col" class="num">server index</th><th scope="col">change</th>${withEntity ? '<th scope="col">entity</th>' : ''}<th scope="col">what</th></tr></thead><tbody>${indexes
      .map((i) => {
        const type = data.types[C.type[i] ?? 0] ?? '';
        return `<tr>${withDay ? `<td><a href="${dayHref(C.day[i] ?? 0, '')}">${esc(dayLabel(data.days[C.day[i] ?? 0] ?? ''))}</a></td>` : ''}<td>${esc(time(C.at[i]))}</td><td class="num">${C.serverIndex[i]}</td><td>${esc(type)}</td>${withEntity ? `<td>${entityLink(C.entity[i] ?? -1)}</td>` : ''}<td>${esc(changeSummary(type, C.payload[i], titleOfId))}</td></tr>`;
      })
      .join('')}</tbody></table>`;

  // A day's changes by kind as a stacked bar (SVG, so no inline style is needed); its length is
  // the day's share of the busiest day. The numbers beside it say the same in words.
  const bar = (counts: number[], max: number): string => {
    const total = counts.reduce((a, b) => a + b, 0);
    const width = Math.max(2, Math.round((total / Math.max(1, max)) * 100));
    let x = 0;
    const rects = counts
      .map((n, c) => {
        if (n === 0) return '';
        const w = (n / total) * 100;
        const rect = `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="10" class="c-${CATEGORIES[c]}"/>`;
        x += w;
        return rect;
      })
      .join('');
    return `<svg class="bar" width="${width}%" height="12" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">${rects}</svg>`;
  };
  const legend = `<ul class="legend" aria-label="Colours of the bars">${CATEGORIES.map((c) => `<li class="c-${c}">${c}</li>`).join('')}</ul>`;
  const typeSelect = (selected: string, base: string): string =>
    `<label>Change type <select data-nav="${esc(base)}"><option value="">every type</option>${data.types
      .map((t, i) => ({ t, n: typeCounts[i] ?? 0 }))
      .sort((a, b) => (a.t < b.t ? -1 : 1))
      .map(
        ({ t, n }) =>
          `<option value="${esc(t)}"${t === selected ? ' selected' : ''}>${esc(t)} (${num(n)})</option>`,
      )
      .join('')}</select></label>`;

  type Route = { path: string[]; query: Map<string, string> };
  const route = (): Route => {
    const hash = window.location.hash.replace(/^#/, '') || '/';
    const [path = '/', search = ''] = hash.split('?');
    const query = new Map<string, string>();
    for (const part of search.split('&')) {
      if (part === '') continue;
      const [k = '', v = ''] = part.split('=');
      query.set(decodeURIComponent(k), decodeURIComponent(v));
    }
    return {
      path: path
        .split('/')
        .filter((s) => s !== '')
        .map(decodeURIComponent),
      query,
    };
  };
  const pageOf = (r: Route, pages: number): number => {
    const n = Number(r.query.get('page') ?? '1');
    return Number.isInteger(n) && n >= 1 ? Math.min(n, Math.max(1, pages)) : 1;
  };

  const overview = (): [string, string] => {
    const first = data.days.find((d) => d !== '');
    const last = data.days.toReversed().find((d) => d !== '');
    return [
      'Overview',
      `<dl class="facts"><dt>database</dt><dd><code>${esc(data.url)}</code></dd><dt>schema</dt><dd>v${data.schemaVersion}</dd><dt>cursor</dt><dd>${data.cursor}${data.head === null ? '' : ` of head ${data.head}`}</dd><dt>zone</dt><dd>${esc(data.timeZone)}</dd><dt>changes</dt><dd>${num(C.type.length)}${first === undefined ? '' : `, from ${esc(first)} to ${esc(last)}`}</dd><dt>source</dt><dd><code>${esc(JSON.stringify(data.source))}</code></dd></dl>
<h3>Where to look</h3><ul><li><a href="#/timeline">Timeline</a>: the changes day by day, by type, with their server index.</li><li><a href="#/lists/${esc(data.lists.dates[0] ?? '')}/today">Lists</a>: Today, Inbox, Upcoming, … as the app shows them on ${esc(data.lists.dates.join(', '))}.</li><li><a href="#/anomalies">Anomalies</a>: odd but legal history data, grouped by code.</li><li><a href="#/ledger">Sync ledger</a>: what a push would send.</li></ul>
<h3>Tables</h3><table><thead><tr><th scope="col">table</th><th scope="col" class="num">rows</th><th scope="col" class="num">soft-deleted</th></tr></thead><tbody>${data.tables
        .map(
          (t) =>
            `<tr><td>${esc(t.name)}</td><td class="num">${num(t.rows)}</td><td class="num">${t.deleted === undefined ? '' : num(t.deleted)}</td></tr>`,
        )
        .join('')}</tbody></table>
<h3>Changes by type</h3><table><thead><tr><th scope="col">type</th><th scope="col" class="num">changes</th></tr></thead><tbody>${data.types
        .map((t, i) => ({ t, n: typeCounts[i] ?? 0 }))
        .sort((a, b) => b.n - a.n)
        .map(
          ({ t, n }) =>
            `<tr><td><a href="#/timeline?type=${encodeURIComponent(t)}">${esc(t)}</a></td><td class="num">${num(n)}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    ];
  };

  const timeline = (r: Route): [string, string] => {
    const type = r.query.get('type') ?? '';
    const t = type === '' ? -1 : data.types.indexOf(type);
    const rows = data.days
      .map((d, i) => {
        const counts = CATEGORIES.map(() => 0);
        let first = -1;
        let last = -1;
        for (const c of changesOnDay[i] ?? []) {
          if (t >= 0 && C.type[c] !== t) continue;
          const cat = typeCategory[C.type[c] ?? 0] ?? 5;
          counts[cat] = (counts[cat] ?? 0) + 1;
          const ix = C.serverIndex[c] ?? 0;
          if (first < 0 || ix < first) first = ix;
          if (ix > last) last = ix;
        }
        return { d, i, counts, total: counts.reduce((a, b) => a + b, 0), first, last };
      })
      .filter((row) => row.total > 0);
    const max = rows.reduce((m, row) => Math.max(m, row.total), 0);
    const pages = Math.max(1, Math.ceil(rows.length / DAYS_PAGE));
    const page = pageOf(r, pages);
    const base = `#/timeline?${type === '' ? '' : `type=${encodeURIComponent(type)}&`}`;
    const shown = rows.slice((page - 1) * DAYS_PAGE, page * DAYS_PAGE);
    return [
      type === '' ? 'Timeline' : `Timeline: ${type}`,
      `<p>${num(rows.length)} day(s) with ${type === '' ? 'changes' : esc(type)}, in ${esc(data.timeZone)}. Each bar is one day's changes by kind; the numbers say the same in words.</p><div class="controls">${typeSelect(type, '#/timeline?type=')}</div>${legend}${pager(page, pages, base, 'top')}<table><thead><tr><th scope="col">day</th><th scope="col" class="num">changes</th><th scope="col">by kind</th><th scope="col" class="bar-col">bar</th><th scope="col">server index</th></tr></thead><tbody>${shown
        .map(
          (row) =>
            `<tr><td><a href="${dayHref(row.i, type)}">${esc(dayLabel(row.d))}</a></td><td class="num">${num(row.total)}</td><td>${row.counts
              .map((n, c) => (n === 0 ? '' : `${CATEGORIES[c]} ${num(n)}`))
              .filter((s) => s !== '')
              .join(
                ', ',
              )}</td><td>${bar(row.counts, max)}</td><td>${row.first === row.last ? row.first : `${row.first}–${row.last}`}</td></tr>`,
        )
        .join('')}</tbody></table>${pager(page, pages, base, 'bottom')}`,
    ];
  };

  const day = (r: Route, name: string): [string, string] => {
    const d = data.days.indexOf(name === 'none' ? '' : name);
    if (d < 0)
      return [
        'Not found',
        `<p>No changes on ${esc(name)}. <a href="#/timeline">Back to the timeline</a>.</p>`,
      ];
    const type = r.query.get('type') ?? '';
    const t = type === '' ? -1 : data.types.indexOf(type);
    const all = (changesOnDay[d] ?? []).filter((c) => t < 0 || C.type[c] === t);
    const pages = Math.max(1, Math.ceil(all.length / PAGE));
    const page = pageOf(r, pages);
    const base = `#/day/${encodeURIComponent(name)}?${type === '' ? '' : `type=${encodeURIComponent(type)}&`}`;
    const around = `<p>${d > 0 ? `<a href="${dayHref(d - 1, type)}" rel="prev">← ${esc(dayLabel(data.days[d - 1] ?? ''))}</a> · ` : ''}<a href="#/timeline${type === '' ? '' : `?type=${encodeURIComponent(type)}`}">timeline</a>${d < data.days.length - 1 ? ` · <a href="${dayHref(d + 1, type)}" rel="next">${esc(dayLabel(data.days[d + 1] ?? ''))} →</a>` : ''}</p>`;
    return [
      `Changes on ${dayLabel(name === 'none' ? '' : name)}${type === '' ? '' : `: ${type}`}`,
      `${around}<p>${num(all.length)} change(s), times in ${esc(data.timeZone)}.</p><div class="controls">${typeSelect(type, `#/day/${encodeURIComponent(name)}?type=`)}</div>${pager(page, pages, base, 'top')}${changeRows(all.slice((page - 1) * PAGE, page * PAGE), false, true)}${pager(page, pages, base, 'bottom')}`,
    ];
  };

  const membership = (e: number): string => {
    const parts: string[] = [];
    data.lists.dates.forEach((date, di) => {
      const views = data.lists.views[di] ?? {};
      const inLists = VIEWS.filter((v) => (views[v] ?? []).includes(e));
      parts.push(
        `<li>on ${esc(date)}: ${
          inLists.length === 0
            ? '<span class="muted">in no list</span>'
            : inLists
                .map(
                  (v) =>
                    `<a href="#/lists/${esc(date)}/${v}?focus=${encodeURIComponent(E.id[e] ?? '')}">${esc(v)}</a>`,
                )
                .join(', ')
        }</li>`,
      );
    });
    return `<ul>${parts.join('')}</ul>`;
  };

  const entity = (r: Route, id: string): [string, string] => {
    const e = byId.get(id);
    if (e === undefined) return ['Not found', `<p>No entity ${esc(id)} in this database.</p>`];
    const mine = changesOf[e] ?? [];
    const deletion = E.deleted[e] ?? 0;
    const facts: string[] = [
      `<dt>kind</dt><dd>${esc(kindName(e))}</dd>`,
      `<dt>id</dt><dd><code>${esc(id)}</code></dd>`,
    ];
    if ((E.status[e] ?? -1) >= 0)
      facts.push(
        `<dt>status</dt><dd>${esc(statusName(E.status[e]))}${E.trashed[e] === 1 ? ', in the Trash' : ''}</dd>`,
      );
    facts.push(
      `<dt>state</dt><dd>${deletion === 0 ? 'live' : `<strong>deleted for good</strong> at server index ${deletion[0]} (${esc(when(deletion[1]))}, ${deletion[2] === 'tombstone' ? 'by a tombstone' : 'by a delete event'}); its row is kept (soft delete)`}</dd>`,
    );
    const resurrections = mine.filter((c) => {
      const p = C.payload[c] as { resurrected?: boolean } | null;
      return p !== null && typeof p === 'object' && p.resurrected === true;
    });
    if (resurrections.length > 0) {
      facts.push(
        `<dt>resurrected</dt><dd>${resurrections.map((c) => `at server index ${C.serverIndex[c]} (${esc(when(C.at[c]))})`).join('; ')}</dd>`,
      );
    }
    for (const [label, column] of [
      ['project', E.project],
      ['area', E.area],
      ['heading', E.heading],
      ['to-do', E.task],
    ] as const) {
      const ref = column[e] ?? -1;
      if (ref >= 0)
        facts.push(
          `<dt>${E.kind[e] === 5 && label === 'project' ? 'parent tag' : E.kind[e] === 6 && label === 'to-do' ? 'deletes' : label}</dt><dd>${entityLink(ref)}</dd>`,
        );
    }
    const tags = E.tags[e] ?? [];
    if (tags.length > 0)
      facts.push(
        `<dt>tags</dt><dd>${tags.map((t) => `<span class="tag">${entityLink(t)}</span>`).join(' ')}</dd>`,
      );
    if (E.startDate[e] !== null && E.startDate[e] !== undefined)
      facts.push(`<dt>start date</dt><dd>${esc(E.startDate[e])}</dd>`);
    if (E.deadline[e] !== null && E.deadline[e] !== undefined)
      facts.push(`<dt>deadline</dt><dd>${esc(E.deadline[e])}</dd>`);
    const kind = E.kind[e] ?? 7;
    const inLists = kind <= 1 ? `<h3>In the lists</h3>${membership(e)}` : '';
    // Note history: the note at creation, then every edit.
    const notes: string[] = [];
    for (const c of mine) {
      const type = data.types[C.type[c] ?? 0] ?? '';
      const p = (C.payload[c] ?? {}) as { snapshot?: { note?: string }; new?: unknown };
      let text: string | null = null;
      if (type.endsWith('Created')) text = p.snapshot?.note ?? '';
      else if (type.endsWith('NoteChanged')) text = typeof p.new === 'string' ? p.new : '';
      if (text !== null)
        notes.push(
          `<li><span class="muted">server index ${C.serverIndex[c]}, ${esc(when(C.at[c]))}, ${esc(type)}</span>${text === '' ? '<p class="muted">(no note)</p>' : `<div class="note">${esc(text)}</div>`}</li>`,
        );
    }
    const noteBlock =
      kind <= 1 && (notes.length > 1 || (E.note[e] ?? '') !== '')
        ? `<h3>Note history</h3><ol>${notes.join('')}</ol>`
        : '';
    // What it holds: a project's to-dos and headings, a to-do's checklist, an area's or tag's members.
    const members: number[] = [];
    for (let i = 0; i < E.id.length && members.length < 201; i++) {
      if (
        (kind === 1 && E.project[i] === e && (E.kind[i] ?? 7) <= 2) ||
        (kind === 2 && E.heading[i] === e) ||
        (kind === 0 && E.task[i] === e && E.kind[i] === 3) ||
        (kind === 4 && E.area[i] === e) ||
        (kind === 5 && (E.tags[i] ?? []).includes(e))
      )
        members.push(i);
    }
    const memberBlock =
      members.length === 0
        ? ''
        : `<h3>${kind === 0 ? 'Checklist' : 'Holds'}</h3><ul>${members
            .slice(0, 200)
            .map(
              (m) =>
                `<li>${entityLink(m)} <span class="muted">${esc(kindName(m))}${(E.status[m] ?? 0) > 0 ? `, ${esc(statusName(E.status[m]))}` : ''}</span></li>`,
            )
            .join(
              '',
            )}</ul>${members.length > 200 ? '<p class="muted">… and more (the first 200 are shown).</p>' : ''}`;
    const pages = Math.max(1, Math.ceil(mine.length / PAGE));
    const page = pageOf(r, pages);
    const base = `#/entity/${encodeURIComponent(id)}?`;
    return [
      `${kindName(e)}: ${titleOf(e)}`,
      `<dl class="facts">${facts.join('')}</dl>${inLists}${noteBlock}${memberBlock}<h3>Every change (${num(mine.length)})</h3>${pager(page, pages, base, 'top')}${changeRows(mine.slice((page - 1) * PAGE, page * PAGE), true, false)}${pager(page, pages, base, 'bottom')}`,
    ];
  };

  const lists = (r: Route, date: string, name: string): [string, string] => {
    const di = data.lists.dates.indexOf(date);
    if (di < 0 || !VIEWS.includes(name))
      return [
        'Not found',
        `<p>The lists were drawn on ${esc(data.lists.dates.join(', '))} only (choose dates with <code>thingstape report --today</code>). <a href="#/lists/${esc(data.lists.dates[0] ?? '')}/today">Today on ${esc(data.lists.dates[0] ?? '')}</a>.</p>`,
      ];
    const rows = data.lists.views[di]?.[name] ?? [];
    const focus = r.query.get('focus') ?? '';
    const fe = focus === '' ? -1 : (byId.get(focus) ?? -1);
    const at = fe < 0 ? -1 : rows.indexOf(fe);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    const page = at >= 0 && !r.query.has('page') ? Math.floor(at / PAGE) + 1 : pageOf(r, pages);
    const base = `#/lists/${encodeURIComponent(date)}/${name}?`;
    const tabs = `<ul class="legend" aria-label="Lists">${VIEWS.map((v) => {
      const count = (data.lists.views[di]?.[v] ?? []).length;
      return `<li><a href="#/lists/${esc(date)}/${v}"${v === name ? ' aria-current="page"' : ''}>${esc(v)}</a> (${num(count)})</li>`;
    }).join('')}</ul>`;
    const dates = `<label>Date <select data-nav="#/lists/" data-suffix="/${name}">${data.lists.dates
      .map((d) => `<option value="${esc(d)}"${d === date ? ' selected' : ''}>${esc(d)}</option>`)
      .join(
        '',
      )}</select></label> <span class="muted">${esc(di === 0 ? data.lists.why : 'from --today')}</span>`;
    return [
      `${name.charAt(0).toUpperCase()}${name.slice(1)} on ${date}`,
      `<div class="controls">${dates}</div>${tabs}<p>${num(rows.length)} row(s), as the app shows the stored state on ${esc(date)}.</p>${pager(page, pages, base, 'top')}<table><thead><tr><th scope="col" class="num">#</th><th scope="col">title</th><th scope="col">kind</th><th scope="col">status</th><th scope="col">project</th><th scope="col">area</th><th scope="col">start date</th><th scope="col">deadline</th></tr></thead><tbody>${rows
        .slice((page - 1) * PAGE, page * PAGE)
        .map((e, k) => {
          const n = (page - 1) * PAGE + k;
          return `<tr${e === fe ? ' class="focus" id="focus-row" tabindex="-1"' : ''}><td class="num">${n + 1}</td><td>${e === fe ? '<span aria-hidden="true">▶</span> <span class="sr">chosen:</span> ' : ''}${entityLink(e)}</td><td>${esc(kindName(e))}</td><td>${esc(statusName(E.status[e]))}</td><td>${(E.project[e] ?? -1) >= 0 ? entityLink(E.project[e] ?? -1) : ''}</td><td>${(E.area[e] ?? -1) >= 0 ? entityLink(E.area[e] ?? -1) : ''}</td><td>${esc(E.startDate[e] ?? '')}</td><td>${esc(E.deadline[e] ?? '')}</td></tr>`;
        })
        .join('')}</tbody></table>${pager(page, pages, base, 'bottom')}`,
    ];
  };

  const anomalies = (): [string, string] => {
    if (data.anomalies.length === 0)
      return ['Anomalies', '<p>None: the history held nothing odd.</p>'];
    return [
      'Anomalies',
      `<p>Odd but legal history data the engine handled without loss, grouped by code, with the first examples of each.</p><ul>${data.anomalies
        .map(
          (a) =>
            `<li><a href="#/anomalies/${esc(a.code)}">${esc(a.code)}</a>: ${num(a.count)}</li>`,
        )
        .join('')}</ul>${data.anomalies
        .map(
          (a) =>
            `<section aria-labelledby="code-${esc(a.code)}"><h3 id="code-${esc(a.code)}" tabindex="-1">${esc(a.code)} (${num(a.count)})</h3><p>${esc(a.meaning)}</p><table><thead><tr><th scope="col" class="num">server index</th><th scope="col" class="num">position</th><th scope="col">kind</th><th scope="col">entity</th><th scope="col">message</th></tr></thead><tbody>${a.examples
              .map(
                ([ix, pos, e, id, kind, message]) =>
                  `<tr><td class="num">${ix}</td><td class="num">${pos}</td><td>${esc(kind)}</td><td>${e >= 0 ? entityLink(e) : `<code>${esc(id)}</code>`}</td><td>${esc(message)}</td></tr>`,
              )
              .join(
                '',
              )}</tbody></table>${a.count > a.examples.length ? `<p class="muted">${num(a.examples.length)} of ${num(a.count)} shown.</p>` : ''}</section>`,
        )
        .join('')}`,
    ];
  };

  const ledger = (): [string, string] => {
    const l = data.ledger;
    if (l === null)
      return [
        'Sync ledger',
        '<p>This database has no sync ledger (its schema is older than the ledger).</p>',
      ];
    const row = (entry: Record<string, unknown> | null): string =>
      entry === null ? 'none' : `<code>${esc(JSON.stringify(entry))}</code>`;
    return [
      'Sync ledger',
      `<p>${l.tracking ? 'This database tracks its ledger: it has been pushed from.' : 'Not tracked yet: this database was never pushed from, so a first push sends every record.'}</p><table><thead><tr><th scope="col">status</th><th scope="col" class="num">records</th></tr></thead><tbody>${Object.entries(
        l.counts,
      )
        .map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${num(v)}</td></tr>`)
        .join(
          '',
        )}</tbody></table><dl class="facts"><dt>oldest pending</dt><dd>${row(l.oldestPending)}</dd><dt>last error</dt><dd>${row(l.lastError)}</dd></dl>`,
    ];
  };

  let drawn = false;
  const draw = (): void => {
    const r = route();
    const [head = '', a = '', b = ''] = r.path;
    let out: [string, string];
    if (head === 'timeline') out = timeline(r);
    else if (head === 'day') out = day(r, a);
    else if (head === 'entity') out = entity(r, a);
    else if (head === 'lists') out = lists(r, a || (data.lists.dates[0] ?? ''), b || 'today');
    else if (head === 'anomalies') out = anomalies();
    else if (head === 'ledger') out = ledger();
    else out = overview();
    view.innerHTML = `<h2 id="view-title" tabindex="-1">${esc(out[0])}</h2>${out[1]}`;
    document.title = `${out[0]} — thingstape report`;
    // The section this view belongs to is marked in the navigation (an entity page belongs to none).
    const section =
      head === 'day'
        ? 'timeline'
        : head === 'entity'
          ? null
          : ['timeline', 'lists', 'anomalies', 'ledger'].includes(head)
            ? head
            : '';
    const links = document.querySelectorAll('nav a');
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      if (link === undefined) continue;
      const target = (link.getAttribute('href') ?? '').split('/')[1] ?? '';
      if (target === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const focus =
      view.querySelector('#focus-row') ??
      (head === 'anomalies' && a !== '' ? view.querySelector(`#code-${a}`) : null);
    window.scrollTo(0, 0);
    if (focus !== null) {
      focus.scrollIntoView({ block: 'center' });
      focus.focus({ preventScroll: true });
    } else if (drawn) {
      // After a move (not on the first load), the new view's heading takes the focus, so keyboard
      // and screen-reader users start reading where the page changed.
      view.querySelector('#view-title')?.focus({ preventScroll: true });
    }
    if (!drawn) performance.mark('thingstape-first-view');
    drawn = true;
  };

  view.addEventListener('click', (event) => {
    const button = event.target?.closest('button[data-go]') ?? null;
    const go = button?.dataset['go'];
    if (go !== undefined) window.location.hash = go.replace(/^#/, '');
  });
  view.addEventListener('change', (event) => {
    const select = event.target?.closest('select[data-nav]') ?? null;
    if (select === null) return;
    const base = select.dataset['nav'] ?? '#/';
    const suffix = select.dataset['suffix'] ?? '';
    window.location.hash = `${base}${encodeURIComponent(select.value)}${suffix}`.replace(/^#/, '');
  });
  document.addEventListener('keydown', (event) => {
    const tag = event.target?.closest('input, select, textarea');
    if (tag !== null && tag !== undefined) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const which = event.key === 'n' ? 'Next' : event.key === 'p' ? 'Previous' : null;
    if (which === null) return;
    const buttons = view.querySelectorAll('.pager button');
    for (let i = 0; i < buttons.length; i++) {
      const button = buttons[i];
      if (
        button?.textContent?.includes(which) === true &&
        button.getAttribute('disabled') === null
      ) {
        event.preventDefault();
        const go = button.dataset['go'];
        if (go !== undefined) window.location.hash = go.replace(/^#/, '');
        return;
      }
    }
  });
  window.addEventListener('hashchange', draw);
  draw();
}
