// The JSON Schema ratchain publishes for its ECS output (schema/ecs-alert.schema.json), generated
// from Elastic's field list for the version the sink declares.
import { ECS_VERSION } from '../../../src/sinks/ecs.ts';
import { ecsJsonSchema } from './json-schema.ts';
import type { EcsSchema } from './validate.ts';

export const ECS_SCHEMA_FILE = 'ecs-alert.schema.json';

/** The field sets the ECS sink writes (src/sinks/ecs.ts), plus its custom namespace. */
export const ECS_FIELD_SETS = [
  '@timestamp',
  'message',
  'tags',
  'ecs',
  'event',
  'rule',
  'threat',
  'host',
  'process',
  'destination',
  'source',
  'user',
  'related',
];

export function ecsSchemaDocument(schema: EcsSchema): Record<string, unknown> {
  return ecsJsonSchema(schema, {
    fieldSets: ECS_FIELD_SETS,
    custom: ['ratchain'],
    required: ['event', 'rule', 'threat', 'host'],
    version: ECS_VERSION,
    id: `https://ratchain.invalid/schema/${ECS_SCHEMA_FILE}`,
  });
}
