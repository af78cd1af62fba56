/**
 * What the command-line tools (`import`, `release`) share: their options parsed
 * with node:util's parseArgs, `--help` printing the usage (exit 0), and a usage
 * message with exit code 2 on anything they cannot take (an unknown option,
 * missing arguments).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function parseCli<O extends NonNullable<ParseArgsConfig['options']>>(tool: string, usageText: string, options: O) {
	const usage: (message?: string) => never = (message) => {
		if (message) console.error(`${tool}: ${message}`);
		console.error(usageText);
		process.exit(2);
	};
	let parsed;
	try {
		parsed = parseArgs({ allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } as O });
	} catch (e) {
		usage((e as Error).message);
	}
	const { values, positionals } = parsed!;
	if ((values as { help?: boolean }).help) {
		console.log(usageText);
		process.exit(0);
	}
	return { values, positionals, usage };
}
