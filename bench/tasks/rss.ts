/** The peak resident set size of the task's own process, as the results report it (MB). */

/** Kilobytes as MB with one decimal. */
export function mb(kilobytes: number): number {
  return Math.round((kilobytes / 1024) * 10) / 10;
}

/** Peak RSS of this process so far, MB. */
export function maxRssMb(): number {
  return mb(process.resourceUsage().maxRSS);
}
