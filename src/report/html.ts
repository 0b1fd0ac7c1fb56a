/** HTML text: escaping, the page shell every report shares, embedded JSON. Pure. */
import { REPORT_CSS } from './style.ts';

/** Text safe inside HTML elements and quoted attributes. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON safe inside `<script type="application/json">`: `<` is written `\u003c`, so no text in the
 * data can close the element or open a comment; U+2028/U+2029 are escaped for old parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** What a page is made of. */
export interface PageParts {
  /** The document title (also the first heading unless `body` has its own). */
  readonly title: string;
  /** The navigation links: [href, label]. */
  readonly nav: readonly (readonly [href: string, label: string])[];
  /** The content of `<main>` (already HTML). */
  readonly main: string;
  /** A line under the title (already HTML). */
  readonly subtitle?: string;
  /** Data embedded as `<script type="application/json" id="thingstape-data">`. */
  readonly data?: unknown;
  /** An inline script run after the data (JavaScript source). */
  readonly script?: string;
}

/**
 * One self-contained HTML page: inline style, optional inline data and script, nothing fetched
 * (a content security policy forbids any other source, so a report opened from a CI artifact
 * makes no request).
 */
export function page(parts: PageParts): string {
  const nav =
    parts.nav.length === 0
      ? ''
      : `<nav aria-label="Sections"><ul>${parts.nav
          .map(([href, label]) => `<li><a href="${esc(href)}">${esc(label)}</a></li>`)
          .join('')}</ul></nav>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="generator" content="thingstape">',
    `<title>${esc(parts.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to content</a>',
    `<header><h1 id="top">${esc(parts.title)}</h1>${parts.subtitle === undefined ? '' : `<p class="subtitle">${parts.subtitle}</p>`}${nav}</header>`,
    `<main id="main" tabindex="-1">${parts.main}</main>`,
    parts.data === undefined
      ? ''
      : `<script type="application/json" id="thingstape-data">${scriptJson(parts.data)}</script>`,
    parts.script === undefined ? '' : `<script>${parts.script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
