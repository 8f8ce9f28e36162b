// Regenerates the schema files derived from the real third-party schemas in ../shared/reference:
// schema/ocsf-detection-finding.schema.json from the OCSF 1.8.0 source (resolved by
// test/support/ocsf) and schema/ecs-alert.schema.json from Elastic's ecs_flat.yml of the ECS
// version the sink declares (test/support/ecs). Run: node --import tsx scripts/schemas.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ECS_VERSION } from '../src/sinks/ecs.ts';
import { OCSF_VERSION } from '../src/sinks/ocsf.ts';
import { REPO_ROOT, sharedReference } from '../test/support/data.ts';
import { ECS_SCHEMA_FILE, ecsSchemaDocument } from '../test/support/ecs/document.ts';
import { loadEcsSchema } from '../test/support/ecs/validate.ts';
import { OCSF_SCHEMA_FILE, ocsfSchemaDocument } from '../test/support/ocsf/document.ts';
import { loadOcsfSchema } from '../test/support/ocsf/schema.ts';

const ocsf = sharedReference(`ocsf-schema-${OCSF_VERSION}`);
const ecs = sharedReference(`ecs/ecs_flat-v${ECS_VERSION}.yml`);
if (!ocsf || !ecs) {
  process.stderr.write(
    'scripts/schemas.ts: the OCSF source or the ECS field list is missing in ../shared/reference\n',
  );
  process.exit(2);
}

function write(file: string, doc: object): void {
  const out = join(REPO_ROOT, 'schema', file);
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

write(OCSF_SCHEMA_FILE, ocsfSchemaDocument(loadOcsfSchema(ocsf)));
write(ECS_SCHEMA_FILE, ecsSchemaDocument(loadEcsSchema(ecs, ECS_VERSION)));
