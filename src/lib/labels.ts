/** The label set: its schema and lookups. Labels always come from the dataset, never from constants in components. */
import { z } from 'zod';
import type { Label } from './types';

export const labelSchema = z.object({
	name: z
		.string()
		.min(1, 'label name is required')
		.max(64)
		.regex(/^[\p{L}\p{N}_-][\p{L}\p{N} _.:/-]*$/u, 'label name: letters, digits, spaces and _ - . : / only'),
	key: z
		.string()
		.max(1)
		.regex(/^[a-z0-9]?$/, 'label key: a single lowercase letter or digit (or empty)')
		.refine((k) => !['j', 'k', 'u', 'z'].includes(k), 'label key: j, k, u and z are reserved for navigation and undo'),
	color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'label colour: #rrggbb'),
	description: z.string().max(5000).default('')
});

export const labelSetSchema = z.array(labelSchema).min(1, 'at least one label').max(50);

export function labelByKey(labels: Label[], key: string): Label | undefined {
	const k = key.toLowerCase();
	return labels.find((l) => l.key === k);
}

export function labelColor(labels: Label[], name: string): string {
	return labels.find((l) => l.name === name)?.color ?? '#868e96';
}
