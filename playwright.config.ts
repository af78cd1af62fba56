import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './tests/helpers/server';

// One throwaway data folder per run; the env var is inherited by the workers.
process.env.SPANLAB_E2E_DATA ||= mkdtempSync(path.join(tmpdir(), 'spanlab-e2e-'));
process.env.SPANLAB_E2E_PASSWORD ||= 'e2e-demo-password';
// A port of its own per run, picked by the kernel (listen on 0), so parallel runs on one machine never
// collide; chosen once, in the main process: the workers load this file again and inherit the env var.
process.env.SPANLAB_E2E_PORT ||= String(await freePort());
const port = Number(process.env.SPANLAB_E2E_PORT);
// the api-postgres project's server: its own port and (unused by the PostgreSQL store, but set) data folder
process.env.SPANLAB_E2E_PG_PORT ||= String(await freePort());
const pgPort = Number(process.env.SPANLAB_E2E_PG_PORT);
process.env.SPANLAB_E2E_PG_DATA ||= mkdtempSync(path.join(tmpdir(), 'spanlab-e2e-pg-'));

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests',
	testMatch: /.*\.spec\.ts/,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 2,
	// no retries: a test that fails once is a failure (tests use accounts of their own and wait for hydration; see tests/helpers/api.ts)
	retries: 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		launchOptions: {
			executablePath: chromiumPath,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		},
		trace: 'off'
	},
	projects: [
		// the whole suite on the file store, as it always ran
		{ name: 'file', metadata: { store: 'file' } },
		// the HTTP contracts (access tables included) and the crash/concurrency short forms again, on a
		// throwaway PostgreSQL cluster; servers a test starts itself get a database of the worker's cluster
		// (tests/helpers/store.ts). Tests that read the data folder skip here, saying so.
		{
			name: 'api-postgres',
			testDir: 'tests/api',
			metadata: { store: 'postgres' },
			use: { baseURL: `http://127.0.0.1:${pgPort}` }
		}
	],
	webServer: [
		{
			command: 'node scripts/serve.js',
			url: `http://127.0.0.1:${port}/login`,
			reuseExistingServer: false,
			timeout: 60_000,
			env: serverEnv(port, process.env.SPANLAB_E2E_DATA)
		},
		{
			// a cluster first, then the same build on it; SIGTERM (not Playwright's default SIGKILL of the
			// group) so the cluster is shut down and its folder removed
			command: 'node --import tsx tests/helpers/serve-postgres.ts',
			url: `http://127.0.0.1:${pgPort}/login`,
			reuseExistingServer: false,
			// a first run on a machine without PostgreSQL installs it (apt, as root) before the cluster starts
			timeout: 240_000,
			gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
			env: serverEnv(pgPort, process.env.SPANLAB_E2E_PG_DATA)
		}
	]
});

function serverEnv(port: number, dataDir: string | undefined): Record<string, string> {
	return {
		PORT: String(port),
		HOST: '127.0.0.1',
		SPANLAB_DATA: dataDir!,
		SPANLAB_DEMO_PASSWORD: process.env.SPANLAB_E2E_PASSWORD!,
		SPANLAB_MAX_IMPORT_BYTES: String(2 * 1024 * 1024),
		// every test logs in from 127.0.0.1, as a whole office behind one address: the tests that
		// fail logins on purpose (lock-outs, wrong passwords) must not add up to lock the others out.
		// The per-username limit stays as shipped (teams.spec and walk-setup.spec test it); the
		// per-address rule is unit-tested (src/lib/server/ratelimit.test.ts)
		SPANLAB_LOGIN_FAILURES_PER_IP: '100000'
	};
}
