/**
 * CEL validation rules (`x-kubernetes-validations`) as the API server runs them when an object is
 * created: each rule is compiled once, then evaluated with `self` bound to the node it is attached to,
 * typed as the schema says (integers are CEL ints, defaults filled in). A rule that cannot be judged
 * here is skipped, never passed silently: transition rules (they read `oldSelf`, the previous object,
 * which a manifest does not have) and rules the evaluator cannot compile, each with its reason.
 */
import { Environment, type ASTNode } from '@marcbachmann/cel-js';

/** A rule as a schema states it (`x-kubernetes-validations` items). */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
}

/** What one evaluation found: the rule holds, does not, or could not be evaluated (which fails it too). */
export type CelOutcome = { readonly holds: true } | { readonly holds: false; readonly error?: string };

/** A compiled rule, or the reason it is skipped. */
export type CompiledCelRule =
  | { readonly status: 'evaluated'; readonly rule: string; evaluate(self: unknown): CelOutcome }
  | { readonly status: 'skipped'; readonly rule: string; readonly reason: string };

/** Where a rule sits: the kind whose schema holds it and the field path of the node it judges. */
export interface CelRuleSite {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** `spec.network.interfaces[]`: `[]` is every list item, `{}` every map value. */
  readonly path: string;
  readonly rule: string;
  readonly message?: string;
}

/** A rule the validator does not evaluate, and why. */
export interface SkippedCelRule extends CelRuleSite {
  readonly reason: string;
}

type SchemaNode = Record<string, unknown>;

// Kubernetes enables CEL optional types (`self.?field`) for CRD rules; `self` is the only variable.
const environment = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: false }).registerVariable('self', 'dyn');

/** Every AST node below `node`, itself included. */
function* nodesOf(node: unknown): Generator<ASTNode> {
  if (Array.isArray(node)) {
    for (const item of node) yield* nodesOf(item);
  } else if (node && typeof node === 'object' && 'op' in node) {
    yield node as ASTNode;
    yield* nodesOf((node as ASTNode).args);
  }
}

/** Why the evaluator cannot judge a parsed rule as the API server would, or undefined when it can. */
function unsupported(ast: ASTNode): string | undefined {
  for (const node of nodesOf(ast)) {
    if (node.op === 'id' && node.args === 'oldSelf') return 'transition rule: reads oldSelf, the previous object, which a manifest does not have';
    const call = node.op === 'rcall' ? { name: node.args[0], args: node.args[2] } : node.op === 'call' ? { name: node.args[0], args: node.args[1].slice(1) } : undefined;
    const pattern = call?.name === 'matches' ? call.args[0] : undefined;
    if (pattern?.op === 'value' && typeof pattern.args === 'string') {
      // Kubernetes uses RE2; the evaluator uses ECMAScript regular expressions. Their common
      // syntax agrees; a pattern outside it would be judged differently, so it is not judged.
      try {
        new RegExp(pattern.args);
      } catch {
        return `pattern ${JSON.stringify(pattern.args)} is not an ECMAScript regular expression`;
      }
    }
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

/** Compiles one rule (parse, reject what cannot be judged, type-check against a dynamic `self`). */
export function compileCelRule(rule: string): CompiledCelRule {
  let program: ReturnType<Environment['parse']>;
  try {
    program = environment.parse(rule);
  } catch (error) {
    return { status: 'skipped', rule, reason: `does not parse: ${firstLine(error)}` };
  }
  const reason = unsupported(program.ast);
  if (reason) return { status: 'skipped', rule, reason };
  const checked = program.check();
  if (!checked.valid) return { status: 'skipped', rule, reason: `the evaluator cannot compile it: ${firstLine(checked.error)}` };
  return {
    status: 'evaluated',
    rule,
    evaluate(self) {
      try {
        return program({ self }) === true ? { holds: true } : { holds: false };
      } catch (error) {
        return { holds: false, error: firstLine(error) };
      }
    },
  };
}

const compiled = new Map<string, CompiledCelRule>();

/** `compileCelRule`, once per distinct rule text for the life of the process. */
export function celRule(rule: string): CompiledCelRule {
  let result = compiled.get(rule);
  if (!result) {
    result = compileCelRule(rule);
    compiled.set(rule, result);
  }
  return result;
}

/**
 * A JSON value as CEL sees it under `schema`: integers are CEL ints (bigint) unless the schema says
 * `number`, and absent properties with a default are filled in, as the API server defaults before
 * it validates.
 */
export function celValue(value: unknown, schema: SchemaNode | undefined): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && schema?.['type'] !== 'number' ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((item) => celValue(item, schema?.['items'] as SchemaNode | undefined));
  if (!value || typeof value !== 'object') return value;
  const properties = (schema?.['properties'] ?? {}) as Record<string, SchemaNode>;
  const additional = typeof schema?.['additionalProperties'] === 'object' ? (schema['additionalProperties'] as SchemaNode) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (property['default'] !== undefined && (value as Record<string, unknown>)[name] === undefined) out[name] = celValue(property['default'], property);
  }
  for (const [name, item] of Object.entries(value)) out[name] = celValue(item, properties[name] ?? additional);
  return out;
}

/** The message a failed rule reports: its own, or the rule itself, as the API server words it. */
export function celFailureMessage(rule: CelRule, outcome: CelOutcome): string {
  const base = rule.message ?? `failed rule: ${rule.rule}`;
  return !outcome.holds && outcome.error ? `${base} (evaluation error: ${outcome.error})` : base;
}

/** Every rule in a kind's schema, with the field path of the node it is attached to. */
export function celRuleSites(schema: SchemaNode, kind: { group: string; version: string; kind: string }): CelRuleSite[] {
  const sites: CelRuleSite[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as SchemaNode;
    for (const r of (n['x-kubernetes-validations'] ?? []) as CelRule[]) {
      sites.push({ ...kind, path: path || '.', rule: r.rule, ...(r.message !== undefined ? { message: r.message } : {}) });
    }
    for (const [name, child] of Object.entries((n['properties'] ?? {}) as Record<string, unknown>)) walk(child, path ? `${path}.${name}` : name);
    walk(n['items'], `${path}[]`);
    walk(n['additionalProperties'], `${path}{}`);
    for (const k of ['anyOf', 'allOf', 'oneOf']) for (const sub of (n[k] ?? []) as unknown[]) walk(sub, path);
  };
  walk(schema, '');
  return sites;
}

/** The rules of these kind schemas that the validator skips, each with the reason. */
export function skippedCelRules(kinds: readonly { kind: { group: string; version: string; kind: string }; schema: SchemaNode }[]): SkippedCelRule[] {
  const skipped: SkippedCelRule[] = [];
  for (const { kind, schema } of kinds) {
    for (const site of celRuleSites(schema, kind)) {
      const result = celRule(site.rule);
      if (result.status === 'skipped') skipped.push({ ...site, reason: result.reason });
    }
  }
  return skipped;
}
