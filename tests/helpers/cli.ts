/** Run the command-line tools (`npm run import|release|user`) as a user would, on a given data folder. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ToolRun {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** Starts `scripts/<tool>.ts` with SPANLAB_DATA = `dataDir`; `input` is written to its stdin. */
export function startTool(tool: string, args: string[], dataDir: string, input = ''): { child: ChildProcess; done: Promise<ToolRun> } {
	const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${tool}.ts`, ...args], {
		env: { ...process.env, SPANLAB_DATA: dataDir },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	child.stdin!.end(input);
	const done = new Promise<ToolRun>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
	return { child, done };
}

export const runTool = (tool: string, args: string[], dataDir: string, input = ''): Promise<ToolRun> =>
	startTool(tool, args, dataDir, input).done;
