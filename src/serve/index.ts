/**
 * `thingstape serve`: a fixture (or any Fetch-style handler, such as the fake Things Cloud) served
 * as a local Things Cloud HTTP API on 127.0.0.1, so clients in other languages can test against it.
 */
export { fixtureService, SERVED_HISTORY_KEY } from './fixture-service.ts';
export type {
  FetchHandler,
  FixtureService,
  FixtureServiceOptions,
  FixtureServiceState,
  ServedRequest,
} from './fixture-service.ts';
export { mswHandler, startServer } from './http.ts';
export type { RunningServer } from './http.ts';
