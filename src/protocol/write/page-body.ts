/**
 * The body of an `…/items` response (spec 2.4) as every served or generated page has it:
 * `{"items":[…],"current-item-index":…,"schema":…,"start-total-content-size":…,
 * "end-total-content-size":…,"latest-total-content-size":…}`.
 */

/** The envelope fields of a page besides its groups. */
export interface PageEnvelope {
  /** `current-item-index`: the head of the history when the page is served. */
  readonly head: number;
  readonly schema: number;
  /** Content size of the history before the page's first group. */
  readonly startSize: number;
  /** Content size after its last group. */
  readonly endSize: number;
  /** Content size of the whole history (`latest-total-content-size`). */
  readonly latestSize: number;
}

/** The page body text around `groups`, each the JSON text of one group, written verbatim. */
export function pageBodyText(groups: readonly string[], envelope: PageEnvelope): string {
  return (
    `{"items":[${groups.join(',')}],"current-item-index":${envelope.head},"schema":${envelope.schema},` +
    `"start-total-content-size":${envelope.startSize},"end-total-content-size":${envelope.endSize},` +
    `"latest-total-content-size":${envelope.latestSize}}`
  );
}
