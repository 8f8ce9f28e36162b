// The JSON Schema ratchain publishes for its OCSF output (schema/ocsf-detection-finding.schema.json):
// class 2004 under the profiles the sink declares, generated from the resolved schema source.
import { OCSF_PROFILES } from '../../../src/sinks/ocsf.ts';
import { ocsfClassJsonSchema } from './json-schema.ts';
import type { OcsfSchema } from './schema.ts';

export const OCSF_SCHEMA_FILE = 'ocsf-detection-finding.schema.json';

export function ocsfSchemaDocument(schema: OcsfSchema): Record<string, unknown> {
  return ocsfClassJsonSchema(schema, {
    classUid: 2004,
    profiles: OCSF_PROFILES,
    id: `https://ratchain.invalid/schema/${OCSF_SCHEMA_FILE}`,
  });
}
