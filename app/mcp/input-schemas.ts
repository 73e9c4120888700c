/**
 * The MCP tools' input schemas, converted from the one field definition the validator and the
 * OpenAPI document already read (START_COOK_FIELDS, app/cooking/schema.ts): one source, three
 * outputs.
 *
 * The zod schemas here only *describe*. Each field is `z.unknown()` carrying the field's JSON
 * Schema as metadata, so the SDK advertises the real types and limits in tools/list, but lets
 * every value through to the operations, where the API's validator decides. A wrong value
 * therefore gets exactly the HTTP API's error code and message (INVALID_TEMPERATURE,
 * POULTRY_TEMP_UNSAFE...), not a generic schema error, and the validator stays the only
 * authority on what reaches the cooker.
 */
import * as z from 'zod';
import { COOKS_PAGE } from '../api/operations';
import {
  START_COOK_FIELDS,
  type NumericFieldSpec,
  type StartCookFieldName,
  type TextFieldSpec,
} from '../cooking/schema';

/** A property of a tool's JSON Schema (draft 2020-12, what MCP's tools/list carries). */
export interface ToolPropertySchema {
  type: 'number' | 'integer' | 'string';
  description: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: number;
  format?: string;
  examples?: Array<number | string>;
}

/** START_COOK_FIELDS → JSON Schema, as the OpenAPI document shows it (`examples` for OpenAPI's `example`). */
export function fieldJsonSchema(spec: NumericFieldSpec | TextFieldSpec): ToolPropertySchema {
  if (spec.type === 'string') {
    return { type: 'string', maxLength: spec.maxLength, description: spec.description, examples: [spec.example] };
  }
  return {
    type: spec.type,
    minimum: spec.minimum,
    maximum: spec.maximum,
    ...(spec.default !== undefined && { default: spec.default }),
    description: spec.description,
    examples: [spec.example],
  };
}

/** An object schema that accepts any values for `properties` and advertises them as described. */
export function describedObject(properties: Record<string, ToolPropertySchema>, required: readonly string[] = []) {
  const shape: Record<string, z.ZodOptional<z.ZodUnknown>> = {};
  for (const [name, schema] of Object.entries(properties)) {
    // optional at run time even when required in the JSON Schema: a missing field is the
    // validator's to report (MISSING_TEMPERATURE...), not the SDK's.
    shape[name] = z
      .unknown()
      .optional()
      .meta(schema as unknown as Record<string, unknown>);
  }
  return z.object(shape).meta(required.length > 0 ? { required: [...required] } : {});
}

function startCookFields(names: readonly StartCookFieldName[], requiredNames?: readonly StartCookFieldName[]) {
  const properties: Record<string, ToolPropertySchema> = {};
  const required: string[] = [];
  for (const name of names) {
    const spec: NumericFieldSpec | TextFieldSpec = START_COOK_FIELDS[name];
    properties[name] = fieldJsonSchema(spec);
    if (requiredNames ? requiredNames.includes(name) : spec.required) required.push(name);
  }
  return describedObject(properties, required);
}

export const TOOL_INPUTS = {
  start_cook: startCookFields(['temperature_celsius', 'time_minutes', 'food_type', 'thickness_mm']),
  /** GET /cook-plan: the start-cook fields that do not depend on time (docs/api.md). */
  plan_cook: startCookFields(['temperature_celsius', 'food_type', 'thickness_mm']),
  get_status: describedObject({}),
  stop_cook: describedObject({}),
  list_cooks: describedObject({
    limit: {
      type: 'integer',
      minimum: COOKS_PAGE.min,
      maximum: COOKS_PAGE.max,
      default: COOKS_PAGE.default,
      description: `How many cooks to return, ${COOKS_PAGE.min} to ${COOKS_PAGE.max} (default ${COOKS_PAGE.default}), newest first.`,
    },
    before: {
      type: 'string',
      format: 'uuid',
      description: 'The `next` value of the previous answer, to get older cooks.',
    },
  }),
  get_cook: describedObject(
    {
      cook_id: {
        type: 'string',
        format: 'uuid',
        description: 'The cook_id of the cook (from start_cook, get_status or list_cooks).',
      },
    },
    ['cook_id'],
  ),
} as const;
