/**
 * What the command-line tools (`import`, `release`, `user`, `evaluate`) share:
 * their options parsed with node:util's parseArgs, `--help` printing the usage
 * (exit 0), and a usage message with exit code 2 on anything they cannot take
 * (an unknown option, missing arguments).
 *
 * Each tool exports `main(args, io)`, which parses and runs the command and
 * writes only through `io`; its last line, `runAsProgram`, calls it with
 * `process.argv` and exit run only when the file is the program itself. So
 * tests call `runMain(main, args, io)` in-process and read the exit code and
 * the output without starting a Node process per case (scripts/cli.test.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a tool writes and reads: the process's streams, or a test's buffers. */
export interface CliIo {
	stdout: { write(text: string): unknown };
	stderr: { write(text: string): unknown; isTTY?: boolean };
	stdin: NodeJS.ReadStream;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** Ends a tool's run with this exit code (what the output says is written before). */
export class CliExit extends Error {
	constructor(readonly code: number) {
		super(`exit ${code}`);
	}
}

export type ToolMain = (args: string[], io: CliIo) => Promise<void>;

/** Runs a tool's main; resolves with its exit code (0 when it returns). */
export async function runMain(main: ToolMain, args: string[], io: CliIo = processIo): Promise<number> {
	try {
		await main(args, io);
		return 0;
	} catch (e) {
		if (e instanceof CliExit) return e.code;
		throw e;
	}
}

/** True when the module at `moduleUrl` is the script node was started with (not imported by a test). */
export function isEntryPoint(moduleUrl: string): boolean {
	return !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/**
 * The few lines every tool ends with: when its module is the program itself,
 * run `main` on the command line and exit with its code. On success the
 * process ends by itself, or exits at once with `exitOnSuccess` (npm run user:
 * stdin may still be open).
 */
export async function runAsProgram(moduleUrl: string, main: ToolMain, { exitOnSuccess = false } = {}): Promise<void> {
	if (!isEntryPoint(moduleUrl)) return;
	const code = await runMain(main, process.argv.slice(2));
	if (code || exitOnSuccess) process.exit(code);
}

export function parseCli<O extends NonNullable<ParseArgsConfig['options']>>(tool: string, usageText: string, options: O, args: string[], io: CliIo) {
	const usage: (message?: string) => never = (message) => {
		if (message) io.stderr.write(`${tool}: ${message}\n`);
		io.stderr.write(`${usageText}\n`);
		throw new CliExit(2);
	};
	let parsed;
	try {
		parsed = parseArgs({ args, allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } as O });
	} catch (e) {
		usage((e as Error).message);
	}
	const { values, positionals } = parsed!;
	if ((values as { help?: boolean }).help) {
		io.stdout.write(`${usageText}\n`);
		throw new CliExit(0);
	}
	return { values, positionals, usage };
}
