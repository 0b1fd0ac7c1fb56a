/**
 * A strict little XML well-formedness checker for reporter tests (no dependency): elements nest
 * and close, attributes are quoted and unique, entities are the five predefined or numeric ones.
 */

/** One element of the parsed tree. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);/g, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity] ?? '';
    if (/^#\d+$/.test(entity)) return String.fromCodePoint(Number(entity.slice(1)));
    if (/^#x[0-9a-fA-F]+$/.test(entity))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    throw new SyntaxError(`unknown entity &${entity}; near ${at}`);
  });
}

/** Parses `xml` (with an optional `<?xml …?>` declaration) or throws a `SyntaxError`. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>') + 2;
    if (i < 2) throw new SyntaxError('unterminated declaration');
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end === -1 ? xml.length : end);
      if (raw.includes('>') || (raw.includes('&') && !/&[^;\s]+;/.test(raw)))
        throw new SyntaxError(`bad text near ${i}`);
      const top = stack.at(-1);
      if (top === undefined) {
        if (raw.trim() !== '') throw new SyntaxError(`text outside the root near ${i}`);
      } else top.text += decode(raw, i);
      i = end === -1 ? xml.length : end;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open?.name !== name)
        throw new SyntaxError(`</${name}> closes <${open?.name ?? '(none)'}> near ${i}`);
      i = end + 1;
      continue;
    }
    const match = NAME.exec(xml.slice(i + 1));
    if (match === null) throw new SyntaxError(`bad tag near ${i}`);
    const name = match[0];
    i += 1 + name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(xml[i] ?? '')) i++;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      const attr = NAME.exec(xml.slice(i));
      if (attr === null) throw new SyntaxError(`bad attribute near ${i}`);
      i += attr[0].length;
      if (xml[i] !== '=' || xml[i + 1] !== '"')
        throw new SyntaxError(`unquoted attribute near ${i}`);
      const end = xml.indexOf('"', i + 2);
      const value = xml.slice(i + 2, end);
      if (value.includes('<')) throw new SyntaxError(`"<" in an attribute near ${i}`);
      if (attr[0] in attributes) throw new SyntaxError(`duplicate attribute ${attr[0]} near ${i}`);
      attributes[attr[0]] = decode(value, i);
      i = end + 1;
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent === undefined) {
      if (root !== undefined) throw new SyntaxError('two root elements');
      root = element;
    } else parent.children.push(element);
    if (xml.startsWith('/>', i)) i += 2;
    else {
      stack.push(element);
      i += 1;
    }
  }
  if (stack.length > 0) throw new SyntaxError(`<${stack.at(-1)?.name ?? ''}> is never closed`);
  if (root === undefined) throw new SyntaxError('no root element');
  return root;
}

/** Checks the JUnit shape thingstape writes; returns the test cases by suite. */
export function junitCases(
  xml: string,
): { suite: string; name: string; failure: XmlElement | undefined; skipped: boolean }[] {
  const root = parseXml(xml);
  if (root.name !== 'testsuites') throw new SyntaxError(`root is <${root.name}>`);
  const cases: {
    suite: string;
    name: string;
    failure: XmlElement | undefined;
    skipped: boolean;
  }[] = [];
  let total = 0;
  let failures = 0;
  for (const suite of root.children) {
    if (suite.name !== 'testsuite') throw new SyntaxError(`<${suite.name}> inside <testsuites>`);
    const suiteCases = suite.children.filter((c) => c.name === 'testcase');
    if (suiteCases.length !== suite.children.length)
      throw new SyntaxError('non-testcase child in a suite');
    if (Number(suite.attributes['tests']) !== suiteCases.length)
      throw new SyntaxError(
        `suite ${suite.attributes['name']} counts ${suite.attributes['tests']} tests, holds ${suiteCases.length}`,
      );
    const failed = suiteCases.filter((c) => c.children.some((x) => x.name === 'failure')).length;
    if (Number(suite.attributes['failures']) !== failed)
      throw new SyntaxError(`suite failures ${suite.attributes['failures']} ≠ ${failed}`);
    for (const attr of ['name', 'time', 'errors', 'skipped']) {
      if (suite.attributes[attr] === undefined) throw new SyntaxError(`suite without ${attr}`);
    }
    total += suiteCases.length;
    failures += failed;
    for (const c of suiteCases) {
      if (
        c.attributes['name'] === undefined ||
        c.attributes['classname'] === undefined ||
        !/^\d+\.\d{3}$/.test(c.attributes['time'] ?? '')
      ) {
        throw new SyntaxError('testcase without name, classname or time');
      }
      cases.push({
        suite: suite.attributes['name'] ?? '',
        name: c.attributes['name'],
        failure: c.children.find((x) => x.name === 'failure'),
        skipped: c.children.some((x) => x.name === 'skipped'),
      });
    }
  }
  if (
    Number(root.attributes['tests']) !== total ||
    Number(root.attributes['failures']) !== failures
  ) {
    throw new SyntaxError('testsuites totals do not add up');
  }
  return cases;
}
