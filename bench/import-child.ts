/**
 * Child process for figure 4: `importFiles` of the import module reads one
 * NDJSON file of generated articles (streamed from disk, as an upload would
 * be) into dataset `import` of SPANLAB_DATA; reports time, CPU time and the
 * peak RSS of this process alone.
 *
 *   SPANLAB_DATA=… node --import tsx bench/import-child.ts <file.jsonl>
 */
import fs from 'node:fs';
import path from 'node:path';
import { importFiles } from '../src/lib/server/import/importer';
import { createDataset, listDocumentHeaders } from '../src/lib/server/store';

const [file] = process.argv.slice(2);
await createDataset({ slug: 'import', title: 'import', createdBy: 'lead' });
const startRssMb = process.resourceUsage().maxRSS / 1024;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const summary = await importFiles('import', [{ name: path.basename(file), stream: fs.createReadStream(file) }], { by: 'lead' });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (summary.errors.length) throw new Error(`import refused: ${JSON.stringify(summary.errors.slice(0, 5))}`);
const imported = (await listDocumentHeaders('import')).length;
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, imported, startRssMb, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
