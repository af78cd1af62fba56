/**
 * Datasets on PostgreSQL: one row of `datasets` (the record's fields; labels,
 * assignments and the rarely-read settings as json), its members in a table of
 * their own (in the record's key order). `update` is one transaction holding the row (`FOR UPDATE`), so
 * updates of one dataset are serialised across processes; the label locks are
 * advisory locks (db.ts) for the same reason.
 */
import { conflict, notFound } from '../../http/errors';
import { checkSlug } from '../names';
import { defaultRelationTypes } from '../../../model/relations';
import { DEFAULT_LABELS, type Role } from '../../../model/types';
import type { DatasetRecord, NewDataset } from '../../../model/dataset';
import type { DatasetRepository } from '../types';
import { LOCK, iso, json, lockKey, withAdvisoryLock, type Db, type Sql } from './db';

/** DatasetRecord keys kept in columns or tables of their own; every other key goes to `settings` */
const OWN_KEYS = new Set(['slug', 'title', 'description', 'created_at', 'created_by', 'labels', 'relationTypes', 'guidelines', 'members', 'assignments', 'version']);

interface DatasetRow {
	id: string;
	slug: string;
	title: string;
	description: string;
	created_at: Date;
	created_by: string;
	guidelines: string;
	labels: DatasetRecord['labels'];
	relation_types: DatasetRecord['relationTypes'] | null;
	settings: Record<string, unknown>;
	assignments: Record<string, string[]> | null;
	version: number;
	/** [username, role] in the record's order, read with the row (WITH_MEMBERS); absent: read on their own */
	member_list?: Array<[string, Role]>;
}

/** the dataset's columns and its members, in one statement (`SELECT ${WITH_MEMBERS} FROM datasets d …`) */
const WITH_MEMBERS =
	"d.*, (SELECT coalesce(json_agg(json_build_array(m.username, m.role) ORDER BY m.ordinal), '[]') FROM dataset_members m WHERE m.dataset_id = d.id) AS member_list";

async function readRecord(tx: Sql, row: DatasetRow): Promise<DatasetRecord> {
	const members: Record<string, Role> = Object.create(null);
	const list =
		row.member_list ??
		(await tx<{ username: string; role: Role }[]>`SELECT username, role FROM dataset_members WHERE dataset_id = ${row.id} ORDER BY ordinal`).map(
			(m): [string, Role] => [m.username, m.role]
		);
	for (const [username, role] of list) members[username] = role;
	// the file store's key order (a record serialises the same on both stores)
	const record: DatasetRecord = {
		slug: row.slug,
		title: row.title,
		description: row.description,
		created_at: iso(row.created_at)!,
		created_by: row.created_by,
		labels: row.labels,
		...(row.relation_types !== null ? { relationTypes: row.relation_types } : {}),
		guidelines: row.guidelines,
		members: { ...members },
		assignments: row.assignments,
		version: row.version,
		...row.settings
	};
	return record;
}

/** the record's keys kept in `settings` (every key without a column of its own); the transfer writes them too */
export function settingsOf(record: DatasetRecord): Record<string, unknown> {
	const settings: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(record)) {
		if (!OWN_KEYS.has(key) && value !== undefined) settings[key] = value;
	}
	return settings;
}

async function writeMembers(tx: Sql, id: string, before: Record<string, Role>, after: Record<string, Role>): Promise<void> {
	if (json(before) === json(after)) return;
	await tx`DELETE FROM dataset_members WHERE dataset_id = ${id}`;
	const names = Object.keys(after);
	if (names.length) {
		await tx`
			INSERT INTO dataset_members (dataset_id, username, role, ordinal)
			SELECT ${id}, * FROM unnest(${names}::text[], ${names.map((n) => after[n])}::text[], ${names.map((_, i) => i)}::int[])`;
	}
}

export function postgresDatasets(db: Db): DatasetRepository {
	const { sql } = db;

	async function get(slug: string, tx: Sql = sql): Promise<DatasetRecord> {
		checkSlug(slug);
		const [row] = await tx.unsafe<DatasetRow[]>(`SELECT ${WITH_MEMBERS} FROM datasets d WHERE d.slug = $1`, [slug]);
		if (!row) throw notFound(`no dataset "${slug}"`);
		return readRecord(tx, row);
	}

	async function update<T>(slug: string, mutate: (draft: DatasetRecord) => T): Promise<T> {
		checkSlug(slug);
		let result!: T;
		await sql.begin(async (t) => {
			const tx = t as unknown as Sql;
			const [row] = await tx<DatasetRow[]>`SELECT * FROM datasets WHERE slug = ${slug} FOR UPDATE`;
			if (!row) throw notFound(`no dataset "${slug}"`);
			const current = await readRecord(tx, row);
			const draft = structuredClone(current);
			result = mutate(draft);
			draft.version = (current.version ?? 0) + 1;
			await tx`
				UPDATE datasets SET
					title = ${draft.title},
					description = ${draft.description ?? ''},
					guidelines = ${draft.guidelines ?? ''},
					labels = ${json(draft.labels)}::text::json,
					relation_types = ${draft.relationTypes === undefined ? null : json(draft.relationTypes)}::text::json,
					settings = ${json(settingsOf(draft))}::text::json,
					assignments = ${draft.assignments == null ? null : json(draft.assignments)}::text::json,
					version = ${draft.version}
				WHERE id = ${row.id}`;
			await writeMembers(tx, row.id, current.members, draft.members ?? {});
		});
		return result;
	}

	return {
		get: (slug) => get(slug),

		async exists(slug) {
			checkSlug(slug);
			const [row] = await sql`SELECT 1 FROM datasets WHERE slug = ${slug}`;
			return Boolean(row);
		},

		async list() {
			const rows = await sql.unsafe<DatasetRow[]>(`SELECT ${WITH_MEMBERS} FROM datasets d ORDER BY d.slug COLLATE "C"`);
			const records: DatasetRecord[] = [];
			for (const row of rows) records.push(await readRecord(sql, row));
			return records;
		},

		async create(input: NewDataset) {
			const slug = checkSlug(input.slug);
			const labels = input.labels ?? DEFAULT_LABELS;
			const relationTypes = input.relationTypes ?? defaultRelationTypes(labels);
			const rows = await sql`
				INSERT INTO datasets (slug, title, description, created_at, created_by, guidelines, labels, relation_types, settings, assignments, version)
				VALUES (${slug}, ${input.title}, ${input.description ?? ''}, ${new Date().toISOString()}, ${input.createdBy}, ${input.guidelines ?? ''},
					${json(labels)}::text::json, ${json(relationTypes)}::text::json, '{}'::json, NULL, 1)
				ON CONFLICT (slug) DO NOTHING
				RETURNING id`;
			if (!rows.length) throw conflict(`dataset "${slug}" already exists`);
			return get(slug);
		},

		update,

		async withCurrentLabels(slug, fn) {
			const id = await db.datasetId(slug);
			const withLabels = async () => {
				const dataset = await get(slug);
				return fn(
					dataset.labels.map((l) => l.name),
					dataset
				);
			};
			// inside a label change's transaction (its rewrite): a savepoint of it, as every store call there
			if (sql.inTransaction()) return withAdvisoryLock(db.locks, LOCK.labels, id, 'shared', withLabels);
			// a save: one transaction on one connection, opened with the shared label lock in the same round trip,
			// that the commit of the set joins (sets.commit's begin runs on it: no savepoint, no second connection);
			// the lock is held until the set is committed, as a label change must wait for saves in flight
			return sql.transaction(withLabels, {
				opening: `SELECT pg_advisory_xact_lock_shared(${LOCK.labels}, ${lockKey(id)})`,
				flat: true
			});
		},

		async updateLabels(slug, mutate) {
			const id = await db.datasetId(slug);
			return withAdvisoryLock(db.locks, LOCK.labels, id, 'exclusive', () => update(slug, mutate));
		},

		// one transaction: the exclusive label lock (saves validating against the old labels finish first, the
		// ones after wait for the commit), the record, and every set the rewrite commits through the store:
		// its queries join this transaction (db.sql.transaction), its commits are savepoints of it
		async changeLabels(slug, mutate, rewrite) {
			const id = await db.datasetId(slug);
			return sql.transaction(async () => {
				await sql`SELECT pg_advisory_xact_lock(${LOCK.labels}::int, ${lockKey(id)}::int)`;
				const result = await update(slug, mutate);
				const rewritten = await rewrite({ atomic: true });
				return { result, rewritten };
			});
		},

		async withLabelChangeLock(slug, fn) {
			const id = await db.datasetId(slug);
			return withAdvisoryLock(db.locks, LOCK.labelChange, id, 'exclusive', fn);
		}
	};
}
