/**
 * Writes docs/release-record.schema.json from the zod schema of the release record
 * (src/lib/release/schema.ts). `npm run schema:release`; record.test.ts fails when the
 * file and the schema differ.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { releaseRecordSchemaFile } from '../src/lib/release/schema';

const file = fileURLToPath(new URL('../docs/release-record.schema.json', import.meta.url));
writeFileSync(file, releaseRecordSchemaFile());
console.log(`wrote ${file}`);
