import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CatalogueBuilder,
  compareCatalogues,
  DRIFT_CODES,
  mergeCatalogues,
  templatePath,
  type ShapeCatalogue,
} from '../../../src/drift/index.ts';
import { REPO } from '../../support/cli.ts';
import { todo } from './recordings.ts';

function catalogue(groups: readonly unknown[], schema = 301): ShapeCatalogue {
  return new CatalogueBuilder()
    .recording()
    .page({ items: groups, 'current-item-index': groups.length, schema })
    .response({
      method: 'GET',
      url: 'https://cloud.culturedcode.com/version/1/history/k/items?start-index=0',
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
    .build();
}

const base = Array.from({ length: 30 }, (_, n) => todo(n));

describe('CatalogueBuilder', () => {
  it('catalogues kinds, fields with types and create/modify presence, schemas and endpoints', () => {
    const c = catalogue([
      ...base.slice(0, 2),
      { Kd5u6PEbkZ7qGDTvY4yYNi: { t: 1, e: 'Task7', p: { tt: 'x', sr: null, tg: ['a'] } } },
    ]);
    expect(c.kinds['Task6']).toMatchObject({ count: 2, actions: { create: 2 } });
    expect(c.kinds['Task6']?.fields['p.nt.ch']).toEqual({
      types: { number: 2 },
      actions: { create: { present: 2, null: 0 } },
    });
    expect(c.kinds['Task7']?.fields['p.sr']).toEqual({
      types: { null: 1 },
      actions: { modify: { present: 1, null: 1 } },
    });
    expect(c.kinds['Task7']?.fields['p.tg[]']?.types).toEqual({ string: 1 });
    expect(c.schemas).toEqual({ '301': 1 });
    expect(c.endpoints).toEqual({
      'GET /version/1/history/{key}/items': {
        statuses: { '200': 1 },
        headers: { 'content-type': 1 },
        values: { 'content-type': { 'application/json': 1 } },
      },
    });
  });

  it('is deterministic: the same recording in another key order gives the same bytes', () => {
    const reordered = base.map((group) => {
      const [[id, event]] = Object.entries(group) as [[string, { p: Record<string, unknown> }]];
      return { [id]: { ...event, p: Object.fromEntries(Object.entries(event.p).toReversed()) } };
    });
    expect(JSON.stringify(catalogue(reordered))).toBe(JSON.stringify(catalogue(base)));
  });

  it('templates endpoint paths without keys, e-mails or queries', () => {
    expect(templatePath('https://x/version/1/account/a%40b.c/own-history-keys/k1?x=1')).toBe(
      '/version/1/account/{email}/own-history-keys/{key}',
    );
    expect(templatePath('/version/1/app-instance/abc')).toBe('/version/1/app-instance/{id}');
  });
});

describe('compareCatalogues()', () => {
  it('documents every finding code in the JSON contract', async () => {
    const schema = JSON.parse(
      await readFile(join(REPO, 'docs', 'json', 'drift.schema.json'), 'utf8'),
    ) as { $defs: { finding: { properties: { code: { enum: string[] } } } } };
    expect(schema.$defs.finding.properties.code.enum).toEqual(Object.keys(DRIFT_CODES));
  });

  const reference = catalogue(base);
  const codes = (current: ShapeCatalogue) =>
    compareCatalogues(reference, current, { minSamples: 5 })
      .findings.filter((f) => f.tier !== 'info')
      .map((f) => [f.tier, f.code, f.subject]);

  it('finds nothing but counts between two recordings of the same account', () => {
    const later = catalogue([...base, ...Array.from({ length: 10 }, (_, n) => todo(30 + n))]);
    const report = compareCatalogues(reference, later);
    expect([report.errors, report.warnings]).toEqual([0, 0]);
    expect(report.findings.map((f) => f.code)).toEqual(['COUNT', 'COUNT', 'COUNT']);
  });

  it('calls a kind thingstape does not know an error, a new known kind a warning', () => {
    expect(codes(catalogue([...base, { A: { t: 0, e: 'Task8', p: {} } }]))).toEqual([
      ['error', 'NEW_UNKNOWN_KIND', 'kind Task8'],
    ]);
    expect(codes(catalogue([...base, { A: { t: 1, e: 'Task7', p: { tt: 'x' } } }]))).toEqual([
      ['warning', 'NEW_KIND', 'kind Task7'],
    ]);
  });

  it('calls a changed type an error and a new unknown field a warning', () => {
    expect(codes(catalogue([...base.slice(1), todo(0, { tt: 5 })]))).toEqual([
      ['error', 'CHANGED_TYPE', 'Task6 p.tt'],
    ]);
    expect(codes(catalogue(base.map((_, n) => todo(n, { zz: 1 }))))).toEqual([
      ['warning', 'NEW_FIELD', 'Task6 p.zz'],
    ]);
  });

  it('calls a vanished field and a shift of create rates warnings', () => {
    const withoutTi = base.map((_, n) => {
      const group = todo(n) as Record<string, { p: Record<string, unknown> }>;
      for (const event of Object.values(group)) delete event.p['ti'];
      return group;
    });
    expect(codes(catalogue(withoutTi))).toEqual([['warning', 'VANISHED_FIELD', 'Task6 p.ti']]);
    const dated = base.map((_, n) => todo(n, n < 20 ? { dd: 1_767_225_600 } : {}));
    expect(codes(catalogue(dated))).toEqual([['warning', 'NULL_SHIFT', 'Task6 p.dd']]);
  });

  it('calls a new schema number and a failing endpoint errors', () => {
    expect(codes(catalogue(base, 302))).toEqual([['error', 'NEW_SCHEMA', 'schema']]);
    const failing = new CatalogueBuilder()
      .page({ items: base, 'current-item-index': 30, schema: 301 })
      .response({ method: 'GET', url: '/version/1/history/k/items', status: 404, headers: {} })
      .build();
    expect(codes(failing)).toEqual([
      ['error', 'ENDPOINT_FAILING', 'GET /version/1/history/{key}/items'],
    ]);
  });

  it('without a reference, judges by what thingstape knows', () => {
    const report = compareCatalogues(
      null,
      catalogue([...base, { A: { t: 0, e: 'Tag9', p: {} } }], 301),
    );
    expect(report.findings.filter((f) => f.tier !== 'info').map((f) => f.code)).toEqual([
      'NEW_UNKNOWN_KIND',
    ]);
    expect(compareCatalogues(null, catalogue(base, 305)).errors).toBe(1);
  });

  it('merges references, so a kind from any of them is known', () => {
    const other = catalogue([{ A: { t: 1, e: 'Task7', p: { tt: 'x' } } }]);
    const both = mergeCatalogues([reference, other]);
    expect(both.items).toBe(31);
    const current = catalogue([...base, { A: { t: 1, e: 'Task7', p: { tt: 'y' } } }]);
    expect(compareCatalogues(reference, current).warnings).toBe(1);
    expect(compareCatalogues(both, current).warnings).toBe(0);
  });
});
