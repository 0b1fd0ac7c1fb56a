/**
 * The reports' style sheet. Colour only ever repeats what a word or a sign already says (✓ passed,
 * ✗ failed, + added, − removed), so the page reads the same in greyscale or to a screen reader;
 * contrast is at least 4.5:1 in the light and the dark scheme; focus is always visible.
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#fff;--muted:#555;--line:#d0d0d7;--panel:#f4f4f7;--link:#0b57d0;--ok:#146c2e;--bad:#b3261e;--warn:#7a4d00;--add:#e6f4ea;--del:#fce8e6;--focus:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6ea;--bg:#16161a;--muted:#b0b0b8;--line:#3a3a44;--panel:#202027;--link:#8ab4f8;--ok:#7fd48f;--bad:#f2a49c;--warn:#f0c060;--add:#17351f;--del:#3d1b18;--focus:#f2a49c}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:12px 20px 0;border-bottom:1px solid var(--line)}
h1{font-size:1.35rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:1.4em 0 .4em}
h3{font-size:1rem;margin:1.1em 0 .3em}
.subtitle{margin:0 0 8px;color:var(--muted)}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
nav a{display:inline-block;padding:6px 0 8px}
nav a[aria-current="page"]{font-weight:600;border-bottom:3px solid currentColor}
main{padding:8px 20px 40px;max-width:1400px}
main:focus{outline:none}
a{color:var(--link)}
a:focus-visible,button:focus-visible,summary:focus-visible,select:focus-visible,input:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip:focus{left:8px;top:8px;background:var(--bg);padding:6px;z-index:2}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
pre,code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{margin:0;white-space:pre-wrap;word-break:break-word}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0}
.ok{color:var(--ok)}
.bad{color:var(--bad)}
.warn{color:var(--warn)}
.muted{color:var(--muted)}
.status{font-weight:600}
details{margin:6px 0;border:1px solid var(--line);border-radius:6px;padding:4px 10px}
details[open]{padding-bottom:10px}
summary{cursor:pointer;padding:4px 0}
.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:800px){.side{grid-template-columns:1fr}}
tr.added td{background:var(--add)}
tr.removed td{background:var(--del)}
tr.focus td{outline:2px solid var(--focus);outline-offset:-2px}
.bar{display:block;border:1px solid var(--line);background:var(--panel)}
th.bar-col{width:30%}
.c-created{fill:#4a8f5c}.c-completed{fill:#3d6fb6}.c-moved{fill:#b58a2a}.c-edited{fill:#8a64b0}.c-deleted{fill:#b3574b}.c-other{fill:#7d7d86}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:4px 0 8px;padding:0;list-style:none}
.legend li::before{content:"";display:inline-block;width:10px;height:10px;margin-right:5px;vertical-align:-1px}
.legend .c-created::before{background:#4a8f5c}.legend .c-completed::before{background:#3d6fb6}.legend .c-moved::before{background:#b58a2a}.legend .c-edited::before{background:#8a64b0}.legend .c-deleted::before{background:#b3574b}.legend .c-other::before{background:#7d7d86}
.legend li{background:none}
.pager{display:flex;align-items:center;gap:10px;margin:8px 0}
button,select,input{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
button{cursor:pointer}
button:disabled{opacity:.5;cursor:default}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
ul.plain{list-style:none;padding:0;margin:4px 0}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;margin:0 3px 2px 0;font-size:.9em}
.note{white-space:pre-wrap;border-left:3px solid var(--line);padding-left:8px;margin:4px 0}
`
  .trim()
  .replace(/\n/g, '');
