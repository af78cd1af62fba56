/**
 * What the command-line tools do to a data folder, as one table of commands:
 * run by the server when it holds the folder (sent over its control socket,
 * see socket.ts), else by the tool itself under the folder's lock (see
 * client.ts). One code path either way, so a tool's effect does not depend on
 * whether a server was up.
 */
import { z } from 'zod';
import { importFiles, type ImportProgress, type ImportSummary } from '../import/importer';
import { cutRelease, RELEASE_SOURCES } from '../release/releases';
import { createUser, publicUsers, roleSchema, setUserFields } from '../auth/auth';
import { notFound } from '../http/errors';
import { whereData } from '../store';
import type { InputFile } from '../import';

export const commandSchema = z.discriminatedUnion('command', [
	z.object({
		command: z.literal('import'),
		slug: z.string().max(200),
		by: z.string().max(200),
		labelMap: z.string().max(100_000).optional(),
		addLabels: z.boolean().optional(),
		/** the files' names and sizes; their bytes follow the command on the socket, in this order */
		files: z.array(z.object({ name: z.string().max(1000), size: z.number().int().nonnegative() })).min(1).max(100_000)
	}),
	z.object({
		command: z.literal('release'),
		slug: z.string().max(200),
		source: z.enum(RELEASE_SOURCES),
		note: z.string().max(10_000),
		by: z.string().max(200)
	}),
	z.object({ command: z.literal('user.add'), username: z.string().max(200), password: z.string().max(10_000), role: roleSchema }),
	z.object({ command: z.literal('user.passwd'), username: z.string().max(200), password: z.string().max(10_000) }),
	z.object({ command: z.literal('user.role'), username: z.string().max(200), role: roleSchema }),
	z.object({ command: z.literal('user.active'), username: z.string().max(200), active: z.boolean() }),
	z.object({ command: z.literal('user.list') })
]);

export type Command = z.infer<typeof commandSchema>;

export interface CommandContext {
	/** the import's files, in the order of `command.files` */
	files?: AsyncIterable<InputFile> | Iterable<InputFile>;
	onProgress?: (progress: ImportProgress) => void;
}

export type ImportCommandResult = ImportSummary;

async function requireUser(username: string): Promise<void> {
	const users = await publicUsers();
	if (!users.some((u) => u.username === username)) throw notFound(`no user "${username}" in ${whereData()}`);
}

/** Runs one command in this process; the result is plain JSON (it may travel over the socket). */
export async function runCommand(command: Command, context: CommandContext = {}): Promise<unknown> {
	switch (command.command) {
		case 'import':
			return importFiles(command.slug, context.files ?? [], {
				by: command.by,
				labelMap: command.labelMap,
				addLabels: command.addLabels,
				onProgress: context.onProgress
			});
		case 'release':
			return cutRelease(command.slug, { source: command.source, note: command.note, createdBy: command.by });
		case 'user.add':
			return createUser({ username: command.username, password: command.password, role: command.role });
		case 'user.passwd':
			await requireUser(command.username);
			await setUserFields(command.username, { password: command.password });
			return { username: command.username };
		case 'user.role':
			await requireUser(command.username);
			await setUserFields(command.username, { role: command.role });
			return { username: command.username, role: command.role };
		case 'user.active':
			await requireUser(command.username);
			await setUserFields(command.username, { active: command.active });
			return { username: command.username, active: command.active };
		case 'user.list':
			return publicUsers();
	}
}
