import { ANOMALIES_INTRO, anomalyHelp } from './anomalies.ts';

/** `thingstape help <topic>`: topics that are not commands. */
export const HELP_TOPICS = {
  anomalies: () =>
    `${ANOMALIES_INTRO}\n\nSee each one with "thingstape replay <fixture> --anomalies" (or sync --anomalies); with --json they are lines of type "anomaly", and the summary counts them by code.\n\nCodes:\n${anomalyHelp()}\n`,
} as const satisfies Record<string, () => string>;

/** The text of a help topic, or null when `name` is none. */
export function helpTopic(name: string): string | null {
  return Object.hasOwn(HELP_TOPICS, name) ? HELP_TOPICS[name as keyof typeof HELP_TOPICS]() : null;
}
