/** The roles a member of a dataset can have: the one list behind the type, the schema and the forms. */
import { z } from 'zod';

export const ROLES = ['lead', 'annotator'] as const;

/** A member's role in a dataset: a lead manages it, an annotator annotates. */
export type Role = (typeof ROLES)[number];

/** A role as requests and commands send it. */
export const roleSchema = z.enum(ROLES);
