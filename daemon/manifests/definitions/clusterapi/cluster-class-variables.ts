/**
 * ClusterClass variables: each declares an OpenAPI v3 schema that the variable values of a Cluster
 * topology must satisfy. That schema is data here, so its keys literally named `default`,
 * `required`, `x-kubernetes-validations` or `x-kubernetes-preserve-unknown-fields` are properties
 * of a closed object (`properties` of the schema node), never keywords of ours; only its nested
 * schema trees (`properties`, `items`, `allOf`...) are kept as written.
 */
import { anyValue, bool, enumOf, int, list, mapOf, obj, str, type Schema } from '../dsl/builders.js';
import { defaulted, filled, req, text } from './dsl-extra.js';

/** The OpenAPI v3 schema of a variable (a JSONSchemaProps subset); v1beta2 refuses empty nodes and lists. */
function variableSchema(v1beta2: boolean): Schema {
  const nonEmpty = v1beta2 ? { minItems: 1 } : {};
  const props: Record<string, Schema> = {
    additionalProperties: anyValue(),
    allOf: anyValue(),
    anyOf: anyValue(),
    default: anyValue(),
    description: text(4096),
    enum: list(anyValue(), { maxItems: 100 }),
    example: anyValue(),
    exclusiveMaximum: bool(),
    exclusiveMinimum: bool(),
    format: text(32),
    items: anyValue(),
    maxItems: int(),
    maxLength: int(),
    maxProperties: int(),
    maximum: int(),
    minItems: int(),
    minLength: int(),
    minProperties: int(),
    minimum: int(),
    not: anyValue(),
    oneOf: anyValue(),
    pattern: text(512),
    properties: anyValue(),
    required: list(text(256), { ...nonEmpty, maxItems: 1000 }),
    type: enumOf('object', 'array', 'string', 'integer', 'number', 'boolean'),
    uniqueItems: bool(),
    'x-kubernetes-int-or-string': bool(),
    'x-kubernetes-preserve-unknown-fields': bool(),
    'x-kubernetes-validations': list(
      req(['rule'], {
        fieldPath: text(512),
        message: text(512),
        messageExpression: text(1024),
        reason: defaulted(enumOf('FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'), 'FieldValueInvalid'),
        rule: text(4096),
      }),
      { ...nonEmpty, maxItems: 100, mapKeys: ['rule'] },
    ),
    'x-metadata': metadata(v1beta2),
  };
  return v1beta2 ? filled(props) : obj(props);
}

function metadata(v1beta2: boolean): Schema {
  const fields = { annotations: mapOf(str()), labels: mapOf(str()) };
  return v1beta2 ? filled(fields) : obj(fields);
}

/** A ClusterClass variable at v1beta1: name, whether required, its schema and (deprecated) metadata. */
export const variableV1beta1 = req(['name', 'required', 'schema'], {
  metadata: metadata(false),
  name: text(256),
  required: bool(),
  schema: req(['openAPIV3Schema'], { openAPIV3Schema: variableSchema(false) }),
});

/** A ClusterClass variable at v1beta2 (`metadata` renamed `deprecatedV1Beta1Metadata`). */
export const variableV1beta2 = req(['name', 'required', 'schema'], {
  deprecatedV1Beta1Metadata: metadata(true),
  name: text(256),
  required: bool(),
  schema: req(['openAPIV3Schema'], { openAPIV3Schema: variableSchema(true) }),
});

/** A variable value of a Cluster topology (any JSON); v1beta1 may say which definition it answers. */
export function topologyVariable(v1beta2: boolean): Schema {
  return req(['name', 'value'], {
    ...(v1beta2 ? {} : { definitionFrom: str({ maxLength: 256 }) }),
    name: text(256),
    value: anyValue(),
  });
}
