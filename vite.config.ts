import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		// store tests do real fsyncs; a loaded 2-core CI machine must not turn them into timeouts
		testTimeout: 30_000
	}
});
