-- spanlab on PostgreSQL: everything the file store keeps (src/lib/server/store/*.ts,
-- src/lib/model/types.ts), one table per thing the file store keeps a file (or a
-- line) for. Applied by migrate.ts, in one transaction; never edit this file once
-- it has been applied anywhere: add 0002_….sql instead (the runner refuses an
-- applied migration whose checksum changed).
--
-- Conventions: timestamps are timestamptz, written from the app's ISO strings;
-- what the app treats as one value (a label set, an annotation set's state, a
-- manifest) is `json`, not `jsonb`: json keeps the text as written, key order
-- included, so what is read back serialises to the same bytes as the file
-- store's copy (releases must be byte-identical across stores). What a list page
-- filters or sorts on is a column of its own (summaries), or a jsonb copy.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---- search: accent- and case-insensitive, whole words, French and English alike.
-- No stemming: a mixed French/English corpus has no one language to stem for, and
-- "whole words and phrases" is what the search promises.
CREATE TEXT SEARCH CONFIGURATION spanlab_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION spanlab_search
	ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
	WITH unaccent, simple;

-- unaccent() is only STABLE (its dictionary could change); an index needs an
-- IMMUTABLE function, so the dictionary is named explicitly.
CREATE FUNCTION spanlab_fold(value text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN lower(unaccent('unaccent'::regdictionary, value));

-- ---- accounts (the file store's _system/users.json and sessions.json)

-- `ordinal`: the order the file store's arrays keep (creation order)
CREATE TABLE users (
	ordinal bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	username text PRIMARY KEY,
	role text NOT NULL CHECK (role IN ('lead', 'annotator')),
	password_hash text NOT NULL,
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL,
	-- bumped by every new password; sessions carry the version they were made under
	-- (NULL: the record has none, read as 0, as in the file store)
	credential_version integer,
	-- NULL: none
	preferences json
);

CREATE TABLE api_tokens (
	ordinal bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	id text PRIMARY KEY,
	username text NOT NULL REFERENCES users (username) ON UPDATE CASCADE ON DELETE CASCADE,
	name text NOT NULL,
	-- sha256 of the secret; the secret itself is never stored
	hash text NOT NULL UNIQUE,
	created_at timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX api_tokens_username ON api_tokens (username);

-- no foreign key to users: as in the file store, a session names a user and is
-- checked against the account when used (a deactivated or re-passworded account)
CREATE TABLE sessions (
	ordinal bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	-- sha256 of the cookie's secret
	hash text PRIMARY KEY,
	username text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	credential_version integer
);
CREATE INDEX sessions_username ON sessions (username);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Failed logins, one row each, so that every app process counts the same ones
-- (src/lib/server/auth/ratelimit.ts counts them in memory on the file store).
-- key: 'user:<name>' or 'ip:<address>'. Rows older than the window are deleted.
CREATE TABLE login_failures (
	key text NOT NULL,
	failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_key_time ON login_failures (key, failed_at);

-- ---- datasets (<slug>/dataset.json)

CREATE TABLE datasets (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	title text NOT NULL,
	description text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	created_by text NOT NULL,
	guidelines text NOT NULL DEFAULT '',
	-- Label[] and RelationType[] as the file store writes them
	labels json NOT NULL,
	relation_types json,
	-- the rest of DatasetRecord: suggestions, correction, punctuation,
	-- assignmentPolicy, labelRewrite (absent keys: the defaults)
	settings json NOT NULL DEFAULT '{}'::json,
	-- DatasetRecord.assignments (document id → annotators) as written; NULL: every
	-- member annotator sees every document. One value, as in the file store's
	-- dataset.json (a per-document table for filters is #20's paged list's to add).
	assignments json,
	-- compare-and-swap of label changes (DatasetRecord.version, baseVersion)
	version integer NOT NULL DEFAULT 1
);

CREATE TABLE dataset_members (
	dataset_id bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	username text NOT NULL,
	role text NOT NULL CHECK (role IN ('lead', 'annotator')),
	-- the record's key order
	ordinal integer NOT NULL,
	PRIMARY KEY (dataset_id, username)
);
CREATE INDEX dataset_members_username ON dataset_members (username);

-- ---- documents (<slug>/documents/<id>.json)

CREATE TABLE documents (
	dataset_id bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	id text NOT NULL,
	-- import order, for listing
	position integer NOT NULL,
	title text NOT NULL,
	-- exactly as imported
	text text NOT NULL,
	meta json NOT NULL DEFAULT '{}'::json,
	-- for filters on any meta field
	meta_index jsonb GENERATED ALWAYS AS (meta::jsonb) STORED,
	sha256 text NOT NULL,
	-- DocumentHeader.length: the text's length in UTF-16 code units (JavaScript's)
	length integer NOT NULL,
	created_at timestamptz NOT NULL,
	-- the import it came with ('' for documents added one by one)
	source text NOT NULL DEFAULT '',
	-- Search covers the title and the first 250,000 characters of the text: a
	-- tsvector is limited to 1 MB, and a longer news article is not one.
	search tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('spanlab_search'::regconfig, title), 'A') ||
		setweight(to_tsvector('spanlab_search'::regconfig, left(text, 250000)), 'B')
	) STORED,
	PRIMARY KEY (dataset_id, id),
	UNIQUE (dataset_id, position)
);
CREATE INDEX documents_sha256 ON documents (dataset_id, sha256);
-- the corpus walk goes in id order, code unit by code unit (ids are ASCII: "C" is that order)
CREATE INDEX documents_id_c ON documents (dataset_id, (id COLLATE "C"));
CREATE INDEX documents_search ON documents USING gin (search);
CREATE INDEX documents_title_trgm ON documents USING gin (spanlab_fold(title) gin_trgm_ops);
CREATE INDEX documents_title_sort ON documents (dataset_id, spanlab_fold(title), position);
CREATE INDEX documents_meta ON documents USING gin (meta_index jsonb_path_ops);
CREATE INDEX documents_source ON documents (dataset_id, source);


-- ---- annotation sets (<slug>/annotations/<doc>/<annotator>.json)

CREATE TABLE annotation_sets (
	dataset_id bigint NOT NULL,
	document_id text NOT NULL,
	-- a person, 'gold', or an imported pre-annotation set 'import~<name>'
	annotator text NOT NULL,
	revision integer NOT NULL CHECK (revision >= 0),
	status text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
	updated_at timestamptz,
	updated_by text,
	active_seconds double precision NOT NULL DEFAULT 0,
	-- the AnnotationSet (types.ts) as the file store writes it: spans, relations,
	-- dismissed suggestions, rejections, flag, comments
	state json NOT NULL,
	-- SetSummary, kept with every save so that lists never read the state
	reviewed_spans integer NOT NULL DEFAULT 0,
	flag_reason text,
	-- labels present (for "label present" filters), sorted, distinct
	span_labels text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (dataset_id, document_id, annotator),
	FOREIGN KEY (dataset_id, document_id) REFERENCES documents (dataset_id, id) ON DELETE CASCADE
);
CREATE INDEX annotation_sets_annotator ON annotation_sets (dataset_id, annotator, status);
CREATE INDEX annotation_sets_labels ON annotation_sets USING gin (span_labels);

-- Every revision (<annotator>.revisions.jsonl): append-only, one row each, the full
-- Revision object (types.ts) as the file store's log decodes it.
CREATE TABLE revisions (
	dataset_id bigint NOT NULL,
	document_id text NOT NULL,
	annotator text NOT NULL,
	revision integer NOT NULL CHECK (revision >= 1),
	at timestamptz NOT NULL,
	by text NOT NULL,
	status text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
	body json NOT NULL,
	PRIMARY KEY (dataset_id, document_id, annotator, revision),
	FOREIGN KEY (dataset_id, document_id, annotator) REFERENCES annotation_sets (dataset_id, document_id, annotator) ON DELETE CASCADE
);

CREATE FUNCTION spanlab_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% rows are never changed once written (append-only)', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER revisions_append_only BEFORE UPDATE ON revisions
	FOR EACH ROW EXECUTE FUNCTION spanlab_refuse_update();

-- ---- releases (<slug>/releases/v0001.jsonl + v0001.manifest.json): immutable

CREATE TABLE releases (
	dataset_id bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	version integer NOT NULL CHECK (version >= 1),
	-- ReleaseManifest, exactly as the file store writes it
	manifest json NOT NULL,
	-- of the JSONL bytes: the lines below, each followed by '\n'
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	bytes bigint NOT NULL,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (dataset_id, version)
);
CREATE TRIGGER releases_append_only BEFORE UPDATE ON releases
	FOR EACH ROW EXECUTE FUNCTION spanlab_refuse_update();

-- One row per JSONL line, in order (a release of 100,000 documents is hundreds of
-- MB: more than one bytea should hold, and streamed back with a cursor).
CREATE TABLE release_records (
	dataset_id bigint NOT NULL,
	version integer NOT NULL,
	line integer NOT NULL CHECK (line >= 1),
	document_id text NOT NULL,
	-- the line's exact bytes, without the newline
	record text NOT NULL,
	PRIMARY KEY (dataset_id, version, line),
	FOREIGN KEY (dataset_id, version) REFERENCES releases (dataset_id, version) ON DELETE CASCADE
);
CREATE TRIGGER release_records_append_only BEFORE UPDATE ON release_records
	FOR EACH ROW EXECUTE FUNCTION spanlab_refuse_update();

-- A release being cut (ReleaseDraft): its lines, readable back before it is
-- published; publishing moves them to release_records in the transaction that
-- inserts the release. Drafts of a process that died are deleted by the next
-- start (created_at).
CREATE TABLE release_drafts (
	id uuid PRIMARY KEY,
	dataset_id bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE release_draft_lines (
	draft_id uuid NOT NULL REFERENCES release_drafts (id) ON DELETE CASCADE,
	line integer NOT NULL,
	document_id text NOT NULL,
	record text NOT NULL,
	PRIMARY KEY (draft_id, line)
);

-- ---- import staging (the file store's staging NDJSON): an import's validated,
-- normalised documents, one line each, kept from its check until its commit;
-- deleted with its row.

CREATE TABLE import_staging (
	id uuid PRIMARY KEY,
	dataset_id bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	finished boolean NOT NULL DEFAULT false
);

CREATE TABLE import_staged_lines (
	staging_id uuid NOT NULL REFERENCES import_staging (id) ON DELETE CASCADE,
	ordinal integer NOT NULL,
	line text NOT NULL,
	PRIMARY KEY (staging_id, ordinal)
);

-- ---- suggestions and evaluations

-- <slug>/gazetteer.json: replaced whole by a new upload
CREATE TABLE gazetteers (
	dataset_id bigint PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
	entries json NOT NULL,
	uploaded_at timestamptz NOT NULL,
	uploaded_by text NOT NULL,
	file text
);

-- <slug>/predictions/<run>.run.json + spans: immutable once uploaded
CREATE TABLE prediction_runs (
	dataset_id bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	run text NOT NULL CHECK (run ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	-- RunSummary (src/lib/evaluation/api.ts)
	manifest json NOT NULL,
	uploaded_at timestamptz NOT NULL,
	PRIMARY KEY (dataset_id, run)
);
CREATE TRIGGER prediction_runs_append_only BEFORE UPDATE ON prediction_runs
	FOR EACH ROW EXECUTE FUNCTION spanlab_refuse_update();

CREATE TABLE prediction_run_lines (
	dataset_id bigint NOT NULL,
	run text NOT NULL,
	line integer NOT NULL CHECK (line >= 1),
	document_id text NOT NULL,
	text_sha256 text NOT NULL,
	spans json NOT NULL,
	PRIMARY KEY (dataset_id, run, line),
	FOREIGN KEY (dataset_id, run) REFERENCES prediction_runs (dataset_id, run) ON DELETE CASCADE
);
CREATE INDEX prediction_run_lines_document ON prediction_run_lines (dataset_id, run, document_id);
