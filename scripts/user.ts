/**
 * Manage accounts from the command line — e.g. the first lead on a server started
 * with SPANLAB_NO_DEMO=1. Works on the data folder in SPANLAB_DATA (default
 * ./datasets); safe while the server runs: the change is made by the running server
 * (through its control socket), or with no server up, by this tool under the data
 * folder's lock (see src/lib/server/control/client.ts).
 *
 *   npm run user -- add NAME [--role lead|annotator]   password asked twice, or read from stdin
 *   npm run user -- passwd NAME                         set a new password (ends their sessions, revokes their API tokens)
 *   npm run user -- role NAME lead|annotator
 *   npm run user -- deactivate NAME | activate NAME
 *   npm run user -- list
 *
 * Run with `node --import tsx scripts/user.ts` (what `npm run user` does).
 */
import { ZodError } from 'zod';
import { roleSchema } from '../src/lib/server/auth/auth.ts';
import { isDomainError } from '../src/lib/server/http/errors.ts';
import { findUser, whereData } from '../src/lib/server/store';
import { runOnDataFolder } from '../src/lib/server/control/client.ts';
import type { Command } from '../src/lib/server/control/commands.ts';
import { CliExit, parseCli, runAsProgram, type CliIo } from './cli.ts';

const USAGE = `usage:
  npm run user -- add NAME [--role lead|annotator]
  npm run user -- passwd NAME
  npm run user -- role NAME lead|annotator
  npm run user -- deactivate NAME
  npm run user -- activate NAME
  npm run user -- list
The password is asked for on a terminal, or read from the first line of stdin:
  echo "$PASSWORD" | npm run user -- add alice --role lead`;

/** Read a password: hidden prompt (twice) on a terminal, else the first line of stdin. */
async function readPassword({ stdin, stdout }: CliIo): Promise<string> {
	if (!stdin.isTTY) {
		let data = '';
		for await (const chunk of stdin) data += chunk;
		return data.split(/\r?\n/)[0];
	}
	const first = await askHidden('Password: ', { stdin, stdout });
	const second = await askHidden('Repeat password: ', { stdin, stdout });
	if (first !== second) throw new Error('the passwords do not match');
	return first;
}

function askHidden(question: string, { stdin, stdout }: Pick<CliIo, 'stdin' | 'stdout'>): Promise<string> {
	return new Promise((resolve, reject) => {
		stdout.write(question);
		let value = '';
		stdin.setRawMode(true);
		stdin.resume();
		stdin.setEncoding('utf8');
		const onData = (chunk: string) => {
			for (const ch of chunk) {
				if (ch === '\r' || ch === '\n') {
					done();
					resolve(value);
					return;
				}
				if (ch === '\u0003') {
					done();
					reject(new Error('cancelled'));
					return;
				}
				if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
				else value += ch;
			}
		};
		const done = () => {
			stdin.off('data', onData);
			stdin.setRawMode(false);
			stdin.pause();
			stdout.write('\n');
		};
		stdin.on('data', onData);
	});
}

async function userCommand(argv: string[], io: CliIo): Promise<void> {
	const { values, positionals, usage } = parseCli('user', USAGE, { role: { type: 'string' } }, argv, io);
	const log = (line: string) => io.stdout.write(`${line}\n`);

	/** Through the running server, or here under the data folder's lock. */
	async function run(command: Command): Promise<unknown> {
		const { result } = await runOnDataFolder(command, { tool: 'npm run user', onWait: (message) => io.stderr.write(`user: ${message}\n`) });
		return result;
	}

	// a read of users.json, before asking for a password: safe while the server runs (writes replace the file atomically)
	async function requireUser(name: string | undefined): Promise<string> {
		if (!name) return usage('give a user name');
		if (!(await findUser(name))) throw new Error(`no user "${name}" in ${whereData()}`);
		return name;
	}

	const [command, ...args] = positionals;
	if (values.role !== undefined && command !== 'add') usage('--role goes with add; use `role NAME lead|annotator` to change one');
	switch (command) {
		case 'add': {
			const role = roleSchema.parse(values.role ?? 'annotator');
			const username = args[0];
			if (!username) usage('give a user name');
			const user = (await run({ command: 'user.add', username, password: await readPassword(io), role })) as { username: string; role: string };
			log(`created ${user.role} "${user.username}" in ${whereData()}`);
			break;
		}
		case 'passwd': {
			const username = await requireUser(args[0]);
			await run({ command: 'user.passwd', username, password: await readPassword(io) });
			log(`password of "${username}" changed; their sessions have ended and their API tokens are revoked`);
			break;
		}
		case 'role': {
			const username = await requireUser(args[0]);
			const role = roleSchema.parse(args[1]);
			await run({ command: 'user.role', username, role });
			log(`"${username}" is now ${role === 'lead' ? 'a lead' : 'an annotator'}`);
			break;
		}
		case 'deactivate':
		case 'activate': {
			const username = await requireUser(args[0]);
			await run({ command: 'user.active', username, active: command === 'activate' });
			log(`"${username}" ${command}d${command === 'deactivate' ? ' (their work is kept)' : ''}`);
			break;
		}
		case 'list': {
			const users = (await run({ command: 'user.list' })) as Array<{ username: string; role: string; active: boolean }>;
			if (!users.length) log(`no users in ${whereData()}`);
			for (const u of users) log(`${u.username.padEnd(24)} ${u.role.padEnd(10)} ${u.active ? 'active' : 'deactivated'}`);
			break;
		}
		default:
			usage(command ? `unknown command "${command}"` : undefined);
	}
}

export async function main(args: string[], io: CliIo): Promise<void> {
	try {
		await userCommand(args, io);
	} catch (e: unknown) {
		if (e instanceof CliExit) throw e;
		if (isDomainError(e)) io.stderr.write(`error: ${e.message}\n`);
		else if (e instanceof ZodError) io.stderr.write(`error: ${e.issues.map((i) => i.message).join('; ')}\n`);
		else io.stderr.write(`${(e as Error).message}\n`);
		throw new CliExit(1);
	}
}

await runAsProgram(import.meta.url, main, { exitOnSuccess: true });
