// Regenerates the schema files derived from the real third-party schemas in ../shared/reference:
// schema/ocsf-detection-finding.schema.json from the OCSF 1.8.0 source (resolved by
// test/support/ocsf). Run: node --import tsx scripts/schemas.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OCSF_VERSION } from '../src/sinks/ocsf.ts';
import { REPO_ROOT, sharedReference } from '../test/support/data.ts';
import { OCSF_SCHEMA_FILE, ocsfSchemaDocument } from '../test/support/ocsf/document.ts';
import { loadOcsfSchema } from '../test/support/ocsf/schema.ts';

const root = sharedReference(`ocsf-schema-${OCSF_VERSION}`);
if (!root) {
  process.stderr.write(`scripts/schemas.ts: ../shared/reference/ocsf-schema-${OCSF_VERSION} is missing\n`);
  process.exit(2);
}
const out = join(REPO_ROOT, 'schema', OCSF_SCHEMA_FILE);
writeFileSync(out, `${JSON.stringify(ocsfSchemaDocument(loadOcsfSchema(root)), null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
