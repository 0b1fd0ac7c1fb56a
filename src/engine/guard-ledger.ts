/**
 * The state the write guard checks a commit against, built by the engine's own fold: every entity
 * of the history (deleted ones included) and, for each container, the live items inside it.
 * Pure: groups in, state out. The fake service, `thingstape serve`, the scenario harness and
 * `thingstape check-commit --state` all keep one.
 */
import { DecodeError, decodePage, type Group, type GuardState } from '../protocol/index.ts';
import { EngineError } from './errors.ts';
import { foldGroup } from './fold.ts';
import type { EngineContext, Entity } from './types.ts';

/** Dates do not matter to the guard; the fold still wants a context. */
const CONTEXT: EngineContext = { timeZone: 'UTC', referenceDate: '2000-01-01' as never };

/**
 * A {@link GuardState} kept up to date group by group. `complete` says whether it saw the whole
 * history from index 0; it turns false when a group cannot be read (invalid JSON, an item the
 * decoder rejects, a kind newer than this thingstape), because the state then misses something.
 */
export class GuardLedger implements GuardState {
  readonly #entities = new Map<string, Entity>();
  /** Container id → ids of the live tasks whose `ar`, `pr` or `agr` holds it. */
  readonly #children = new Map<string, Set<string>>();
  /** Task id → the containers it is indexed under. */
  readonly #links = new Map<string, readonly string[]>();
  #complete: boolean;

  /** `complete`: the groups applied will be the whole history from index 0. */
  constructor(options: { readonly complete: boolean }) {
    this.#complete = options.complete;
  }

  get complete(): boolean {
    return this.#complete;
  }

  /** Number of entities known (deleted ones included). */
  get size(): number {
    return this.#entities.size;
  }

  get(id: string): Entity | undefined {
    return this.#entities.get(id);
  }

  children(id: string): readonly string[] {
    return [...(this.#children.get(id) ?? [])];
  }

  /** Adds entities known from elsewhere (a store), replacing what the ledger held for their ids. */
  remember(entities: Iterable<Entity>): void {
    for (const entity of entities) this.#set(entity);
  }

  /** Folds decoded groups, in order. A group of a kind newer than this thingstape is skipped. */
  applyGroups(groups: readonly Group[]): void {
    for (const group of groups) {
      try {
        this.remember(foldGroup(this, group, CONTEXT).entities.values());
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        this.#complete = false;
      }
    }
  }

  /** Folds groups given as parsed JSON (each an object of id → event), the first at `startIndex`. */
  applyWire(groups: readonly unknown[], startIndex: number): void {
    const decoded = decodeGroups(groups, startIndex);
    if (decoded === null) {
      // One bad group spoils the page: decode them one by one, skipping the bad ones.
      groups.forEach((group, offset) => {
        const one = decodeGroups([group], startIndex + offset);
        if (one === null) this.#complete = false;
        else this.applyGroups(one);
      });
      return;
    }
    this.applyGroups(decoded);
  }

  /** Folds groups given as JSON texts (what the fake service and `serve` hold). */
  applyTexts(texts: readonly string[], startIndex: number): void {
    const parsed: unknown[] = [];
    for (const text of texts) {
      try {
        parsed.push(JSON.parse(text));
      } catch {
        this.#complete = false;
        parsed.push({});
      }
    }
    this.applyWire(parsed, startIndex);
  }

  #set(entity: Entity): void {
    this.#entities.set(entity.id, entity);
    for (const container of this.#links.get(entity.id) ?? []) {
      this.#children.get(container)?.delete(entity.id);
    }
    this.#links.delete(entity.id);
    if (entity.family !== 'task' || entity.deleted !== null) return;
    const containers = [...entity.areaIds, ...entity.projectIds, ...entity.headingIds];
    this.#links.set(entity.id, containers);
    for (const container of containers) {
      let set = this.#children.get(container);
      if (set === undefined) this.#children.set(container, (set = new Set()));
      set.add(entity.id);
    }
  }
}

function decodeGroups(groups: readonly unknown[], startIndex: number): Group[] | null {
  try {
    const page = decodePage(
      { items: groups, 'current-item-index': startIndex + groups.length },
      { startIndex, invalidIds: 'warn', maxSchema: Number.MAX_SAFE_INTEGER },
    );
    return [...page.groups];
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}
