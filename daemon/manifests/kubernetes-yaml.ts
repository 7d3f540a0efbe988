/**
 * YAML as Kubernetes reads it. kubectl and the API server read manifests with sigs.k8s.io/yaml,
 * which parses with go-yaml v2: YAML 1.1 scalars, where `yes`, `on` and `y` are booleans and `0123`
 * is the octal 83. js-yaml's core schema is YAML 1.2 (`yes` a string, `0123` the decimal 123), so
 * its `bool`, `int` and `float` are replaced here by go-yaml v2's resolve table (resolve.go);
 * `null` is the same in both, timestamps stay strings (as go-yaml leaves them in untyped maps),
 * and `<<` merge keys are resolved as go-yaml resolves them.
 */
import yaml from 'js-yaml';

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const { merge } = (yaml as unknown as { types: { merge: yaml.Type } }).types;

/** go-yaml v2's booleans: these spellings exactly (not `yEs`), as YAML 1.1 lists them. Every plain scalar is tried. */
function parseBoolean(data: string): boolean | undefined {
  switch (data.length) {
    case 1:
      return data === 'y' || data === 'Y' ? true : data === 'n' || data === 'N' ? false : undefined;
    case 2:
      return data === 'on' || data === 'On' || data === 'ON' ? true : data === 'no' || data === 'No' || data === 'NO' ? false : undefined;
    case 3:
      return data === 'yes' || data === 'Yes' || data === 'YES' ? true : data === 'off' || data === 'Off' || data === 'OFF' ? false : undefined;
    case 4:
      return data === 'true' || data === 'True' || data === 'TRUE' ? true : undefined;
    case 5:
      return data === 'false' || data === 'False' || data === 'FALSE' ? false : undefined;
    default:
      return undefined;
  }
}

/** go-yaml tries a number only for a plain scalar starting with a digit or a sign (or `.` for floats). */
function mayBeNumber(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d;
}

/** Go's `strconv.ParseInt(s, 0, 64)` grammar, after go-yaml drops every `_`: a leading 0 is octal. */
const INT = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]+)|([0-9]+))$/;

/** `0` or digits not starting with 0: the common case, without a regular expression. */
function plainDecimal(data: string): boolean {
  if (data.length > 15 || (data.length > 1 && data.charCodeAt(0) === 0x30)) return false;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function parseInteger(data: string): number | undefined {
  if (!mayBeNumber(data)) return undefined;
  if (plainDecimal(data)) return Number(data);
  const m = INT.exec(data.includes('_') ? data.replace(/_/g, '') : data);
  if (!m) return undefined;
  const [, sign, bin, oct, hex, legacyOct, dec] = m;
  const [digits, base] = bin ? [bin, 2] : oct ? [oct, 8] : hex ? [hex, 16] : legacyOct ? [legacyOct, 8] : [dec!, 10];
  const magnitude = parseInt(digits, base);
  // Beyond uint64 go-yaml gives up on a prefixed number (a string); a long decimal becomes a float.
  if (base !== 10 && magnitude >= 2 ** 64) return undefined;
  return sign === '-' ? -magnitude || 0 : magnitude;
}

const FLOAT_SPECIAL = new Map<string, number>([
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, -Infinity] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, NaN] as const),
]);
/** go-yaml's yamlStyleFloat, tried after an int failed (`09` is the float 9). */
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

function parseFloating(data: string): number | undefined {
  const dot = data.charCodeAt(0) === 0x2e;
  if (!dot && !mayBeNumber(data)) return undefined;
  const special = FLOAT_SPECIAL.get(data);
  if (special !== undefined) return special;
  const plain = dot ? (DOT_FLOAT.test(data) ? data : '') : data.includes('_') ? data.replace(/_/g, '') : data;
  if (!FLOAT.test(plain)) return undefined;
  const value = Number(plain);
  return Number.isFinite(value) ? value : undefined; // Go's ParseFloat fails on overflow: a string
}

const bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && parseBoolean(data) !== undefined,
  construct: (data: string) => parseBoolean(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: (value: unknown) => String(value),
});

// js-yaml calls construct right after a successful resolve with the same text: parse once.
let resolvedText = '';
let resolvedNumber = 0;

function remember(data: string, value: number | undefined): boolean {
  if (value === undefined) return false;
  resolvedText = data;
  resolvedNumber = value;
  return true;
}

const int = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && data !== '' && remember(data, parseInteger(data)),
  construct: (data: string) => (data === resolvedText ? resolvedNumber : parseInteger(data)),
  predicate: (value: unknown) => Number.isInteger(value),
  represent: (value: unknown) => String(value),
});

const float = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && data !== '' && remember(data, parseFloating(data)),
  construct: (data: string) => (data === resolvedText ? resolvedNumber : parseFloating(data)),
  predicate: (value: unknown) => typeof value === 'number',
  represent: (value: unknown) => String(value),
});

/** js-yaml's core schema with go-yaml v2's booleans, integers and floats, and merge keys. */
export const KUBERNETES_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [bool, int, float, merge] });

/**
 * `; quote it …` when a schema wants a string where YAML 1.1 read a boolean or a number, else ''.
 * Appended to "must be string, got boolean true" so that the fix is in the message.
 */
export function scalarHint(expected: unknown, value: unknown): string {
  if ((typeof value !== 'boolean' && typeof value !== 'number') || !String(expected).split(',').includes('string')) return '';
  if (typeof value === 'boolean') {
    return `; quote it to keep it a string: Kubernetes reads YAML 1.1, where unquoted ${value ? 'yes, y, on and true are true' : 'no, n, off and false are false'}`;
  }
  return '; quote it to keep it a string: Kubernetes reads YAML 1.1, where unquoted digits are a number and a leading 0 makes it octal (0123 is 83)';
}

/** A mapping key Kubernetes cannot read or would rename: 0-based line and column in the document. */
export interface KeyProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const SCALAR_END = new Set([0x20, 0x09, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x3f]); // space tab , [ ] { } ?

/**
 * A js-yaml listener collecting mapping keys that are not strings. js-yaml turns every key into a
 * string (`[a, b]` → "a,b", `{a: 1}` → "[object Object]", `0123` → "83", `yes` → "true"), so what
 * was written is lost; sigs.k8s.io/yaml refuses sequences, mappings and null as keys and turns
 * numbers and booleans into their text. Refused here: those it refuses, and numbers and booleans
 * whose text differs from what was written (the key would silently be renamed). A number or
 * boolean written as Kubernetes writes it back (`80: x`, `true: x`) is the same key either way.
 * A node is a key when the next character after it, blanks and line breaks skipped, is `:`.
 */
export function mappingKeyChecker(problems: KeyProblem[]): (event: string, state: yaml.State) => void {
  let last = -1;
  return (event, state) => {
    if (event !== 'close') return;
    const value: unknown = state.result;
    if (typeof value === 'string') return;
    const input = state.input;
    let p = state.position;
    let line = state.line;
    let lineStart = state.lineStart;
    for (let c = input.charCodeAt(p); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = input.charCodeAt(++p)) {
      if (c === 0x0a) {
        line++;
        lineStart = p + 1;
      }
    }
    if (input.charCodeAt(p) !== 0x3a || state.position === last) return;
    last = state.position;
    if (value !== null && typeof value === 'object') {
      const what = Array.isArray(value) ? 'a sequence' : 'a mapping';
      problems.push({ line, column: p - lineStart, message: `the key before this ":" is ${what}: Kubernetes reads only strings, numbers and booleans as mapping keys` });
      return;
    }
    let end = state.position;
    while (end > state.lineStart && (input.charCodeAt(end - 1) === 0x20 || input.charCodeAt(end - 1) === 0x09)) end--;
    let start = end;
    while (start > state.lineStart && !SCALAR_END.has(input.charCodeAt(start - 1))) start--;
    const written = input.slice(start, end);
    const at = { line: state.line, column: start - state.lineStart };
    if (value === null || value === undefined) {
      const message = written ? `mapping key ${written} is null: Kubernetes refuses it; quote it ("${written}") to use it as text` : 'mapping key is empty (null): Kubernetes refuses it';
      problems.push({ ...at, message });
      return;
    }
    const text = String(value);
    if (text === written) return;
    const message = written.startsWith('*')
      ? `mapping key ${written} stands for ${typeof value} ${text}, which Kubernetes (YAML 1.1) makes the key "${text}"; write the key as a quoted string`
      : `mapping key ${written} is read as ${typeof value} ${text} by Kubernetes (YAML 1.1), renaming it to "${text}"; quote it ("${written}") to keep it as written`;
    problems.push({ ...at, message });
  };
}
