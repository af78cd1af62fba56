/**
 * Child process for figure 6: `datasetAgreement(slug)` of src/lib/server/agreement/agreement.ts
 * on the generated corpus; reports time, CPU time and the peak RSS of this
 * process alone. The dataset is opened first (document index and set
 * summaries, which a running server has built already); that time is openMs.
 *
 *   SPANLAB_DATA=… node --import tsx bench/agreement-child.ts <slug>
 */
import { datasetAgreement } from '../src/lib/server/agreement/agreement';
import { openDataset } from './open';

const [slug] = process.argv.slice(2);
const startRssMb = process.resourceUsage().maxRSS / 1024;
const { openMs } = await openDataset(slug);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const report = await datasetAgreement(slug);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
	JSON.stringify({
		ms,
		cpuMs: (cpu.user + cpu.system) / 1000,
		openMs,
		documents: report.documents,
		alpha: report.overall.alpha,
		startRssMb,
		maxRssMb: process.resourceUsage().maxRSS / 1024
	})
);
