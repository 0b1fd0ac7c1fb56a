/**
 * The scenario's databases: its own, in a temporary directory removed afterwards, and those the
 * script opened with `t.openStore()`, tracked so the resources sanitizer can name the ones it
 * left open.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore, type Store } from '../store/index.ts';

/** The databases of one scenario run. */
export class ScenarioStores {
  /** The scenario's own database (`t.store`), synced into by `t.sync()`. */
  readonly main: Store;
  readonly #dir: string;
  /** Stores opened by the script and still open, with their URLs. */
  readonly #open = new Map<Store, string>();

  private constructor(main: Store, dir: string) {
    this.main = main;
    this.#dir = dir;
  }

  /** Makes the temporary directory and opens the scenario's database in it. */
  static async open(): Promise<ScenarioStores> {
    const dir = await mkdtemp(join(tmpdir(), 'thingstape-scenario-'));
    try {
      return new ScenarioStores(await openStore(pathToFileURL(join(dir, 'scenario.db')).href), dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * `t.openStore(url)`: opens `url` (default a fresh file in the temporary directory). The store
   * returned is the real one except that closing it also stops tracking it.
   */
  async openExtra(url: string | undefined): Promise<Store> {
    const target = url ?? pathToFileURL(join(this.#dir, `extra-${this.#open.size + 1}.db`)).href;
    const store = await openStore(target);
    const open = this.#open;
    const tracked: Store = new Proxy(store, {
      get(inner, property) {
        if (property === 'close') {
          return () => {
            open.delete(tracked);
            inner.close();
          };
        }
        const value: unknown = Reflect.get(inner, property, inner);
        return typeof value === 'function'
          ? (value as (...args: unknown[]) => unknown).bind(inner)
          : value;
      },
    });
    open.set(tracked, store.url);
    return tracked;
  }

  /** Closes the stores the script left open and returns their URLs. */
  closeLeftOpen(): string[] {
    const urls = [...this.#open.values()];
    for (const store of this.#open.keys()) store.close();
    this.#open.clear();
    return urls;
  }

  /** Closes every database and removes the temporary directory. */
  async close(): Promise<void> {
    for (const store of this.#open.keys()) store.close();
    this.main.close();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
