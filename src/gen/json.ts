/**
 * The wire writer's JSON text (`src/protocol/write`) under the names the generator's history
 * module imports: `RawNumber` keeps an instant's exact decimal text.
 */
export { RawNumber, jsonText as toJson, type WireValue as JsonValue } from '../protocol/index.ts';
