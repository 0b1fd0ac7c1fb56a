/**
 * The reads the benchmark times, named once: every list, search with a word that is present and
 * one that is absent, and the change-log queries of `thingstape changes`. The library child
 * (bench/reads-child.ts) implements each name, the harness labels its figures from here, and the
 * CLI reads it runs are in {@link CLI_READS}.
 */
import type { ListViewName } from '../src/engine/index.ts';

/** Rows the library asks for per list or search (the first page). */
export const READ_PAGE = 50;

/** The newest changes `changes --last N` reads. */
export const CHANGES_LAST = 20;

/** A word of the generator's vocabulary (`src/gen/text.ts`), and one no history holds. */
export const SEARCH_WORDS = { present: 'milk', absent: 'xylophonist' } as const;

/** What the `--since` query asks for: the changes of the last day before the newest change. */
export const CHANGES_SINCE_SECONDS = 86_400;

/** Every read, by name, with the CLI invocation it stands for. */
export const READ_QUERIES = {
  inbox: 'list inbox',
  today: 'list today (the day part and This Evening)',
  evening: 'list evening',
  upcoming: 'list upcoming',
  anytime: 'list anytime',
  someday: 'list someday',
  logbook: 'list logbook',
  trash: 'list trash',
  project: 'list --project <the project with the most open to-dos>',
  area: 'list --area <the area with the most open items>',
  tag: 'list --tag <the tag on the most open items>',
  'search-present': `list --search ${SEARCH_WORDS.present}`,
  'search-absent': `list --search ${SEARCH_WORDS.absent}`,
  'changes-last': `changes --last ${CHANGES_LAST}`,
  'changes-since': 'changes --since <a day before the newest change>',
  'changes-entity': 'changes --entity <the entity of the newest change>',
} as const satisfies Record<ListViewName, string> & Record<string, string>;

/** A name of {@link READ_QUERIES}. */
export type ReadQueryName = keyof typeof READ_QUERIES;

/** The names of {@link READ_QUERIES}, in table order. */
export const READ_QUERY_NAMES = Object.keys(READ_QUERIES) as ReadQueryName[];

/** Whether a read is a search (its target is looser: ≤ 100 ms at 1M items, not ≤ 20 ms). */
export function isSearch(name: ReadQueryName): boolean {
  return name.startsWith('search-');
}

/**
 * The CLI reads timed as a user runs them (`thingstape <args> --db file:…`), each beside `status`
 * on the same database, by name.
 */
export const CLI_READS = {
  status: ['status'],
  'list-today': ['list', 'today', '--limit', '5'],
  'list-inbox': ['list', 'inbox', '--limit', '5'],
  'list-search': ['list', '--search', SEARCH_WORDS.present, '--limit', '5'],
  'changes-last': ['changes', '--last', String(CHANGES_LAST)],
} as const satisfies Record<string, readonly string[]>;

/** A name of {@link CLI_READS}. */
export type CliReadName = keyof typeof CLI_READS;

/** The names of {@link CLI_READS}, in table order (`status` first: the reference). */
export const CLI_READ_NAMES = Object.keys(CLI_READS) as CliReadName[];
