/** Arbitraries of operations and operation lists (what fast-check shrinks). */
import * as fc from 'fast-check';

import { DEFAULT_POOL_SIZES, type PoolSizes } from './id-pools.ts';
import type { EntityOp, HistoryOp } from './op-types.ts';
import { fieldArbs, instant, json, payloadArb, type PayloadArb } from './payload-values.ts';
import { GENERATED_FAMILIES, type GeneratedFamily } from './wire-shapes.ts';

/** Options of {@link historyOps} and {@link wireHistory}. */
export interface HistoryOptions {
  /** Most operations (items and empty groups) per history; default 40. */
  readonly maxOps?: number;
  /** Fewest operations; default 0. */
  readonly minOps?: number;
  /** Pool sizes; default {@link DEFAULT_POOL_SIZES}. */
  readonly pools?: PoolSizes;
  /** Include metadata, unknown kinds, family changes and empty groups (default true). */
  readonly oddities?: boolean;
  /** Probability weight (0–10) of an item joining the previous group; default 3. */
  readonly joinWeight?: number;
}

/** One operation. */
export function historyOp(options: HistoryOptions = {}): fc.Arbitrary<HistoryOp> {
  const sizes = options.pools ?? DEFAULT_POOL_SIZES;
  const oddities = options.oddities ?? true;
  const joinWeight = options.joinWeight ?? 3;
  const join = fc.oneof(
    { weight: 10 - joinWeight, arbitrary: fc.constant(false) },
    { weight: joinWeight, arbitrary: fc.constant(true) },
  );
  const arbs = fieldArbs(sizes);
  const payloads = Object.fromEntries(
    GENERATED_FAMILIES.map((family) => [
      family,
      [payloadArb(family, 0, arbs[family]), payloadArb(family, 1, arbs[family])] as const,
    ]),
  ) as Record<GeneratedFamily, readonly [PayloadArb, PayloadArb]>;
  const entity = (family: GeneratedFamily, weight: number) => ({
    weight,
    arbitrary: fc
      .record({
        action: fc.oneof(
          { weight: 3, arbitrary: fc.constant<0 | 1 | 2>(0) },
          { weight: 6, arbitrary: fc.constant<0 | 1 | 2>(1) },
          { weight: 1, arbitrary: fc.constant<0 | 1 | 2>(2) },
        ),
        pool: oddities
          ? fc.oneof(
              { weight: 30, arbitrary: fc.constant(family) },
              { weight: 1, arbitrary: fc.constantFrom(...GENERATED_FAMILIES) },
            )
          : fc.constant(family),
        legacy: fc.boolean(),
        version: fc.nat({ max: 3 }),
        join,
      })
      .chain((head) =>
        fc
          .record({
            slot: fc.nat({ max: sizes[head.pool] - 1 }),
            payload:
              head.action === 2
                ? fc.oneof(
                    { weight: 6, arbitrary: fc.constant([]) },
                    { weight: 2, arbitrary: json(instant).map((md) => [['md', md] as const]) },
                    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
                  )
                : payloads[family][head.action],
          })
          .map((rest): EntityOp => ({ op: 'entity', family, ...head, ...rest })),
      ),
  });
  const arbitraries: fc.WeightedArbitrary<HistoryOp>[] = [
    entity('task', 10),
    entity('checklistItem', 3),
    entity('area', 2),
    entity('tag', 2),
    entity('tombstone', 3),
  ];
  if (oddities) {
    arbitraries.push(
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant('opaque' as const),
          which: fc.constantFrom('settings', 'marker', 'command', 'contact', 'unknown'),
          action: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
          n: fc.nat({ max: 1 }),
          p: fc.constantFrom<unknown>({}, { ld: 1_416_697_200 }, { tt: 'mail', md: 1_760_500_000 }),
          join,
        }),
      },
      { weight: 1, arbitrary: fc.constant({ op: 'empty' } as const) },
    );
  }
  return fc.oneof(...arbitraries);
}

/** Shrinkable operation lists; render them with {@link renderHistory}. */
export function historyOps(options: HistoryOptions = {}): fc.Arbitrary<readonly HistoryOp[]> {
  return fc.array(historyOp(options), {
    minLength: options.minOps ?? 0,
    maxLength: options.maxOps ?? 40,
  });
}
