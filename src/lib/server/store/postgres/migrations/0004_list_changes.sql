-- The document list's reads without reading every row (issue #20: a list page
-- under 100 ms on 100,000 documents): each process keeps a dataset's document
-- headers and set summaries in memory (../listCache.ts) and, on every read,
-- fetches only the rows written since its last read.
--
-- "Since" is by transaction id, not by a sequence: a sequence value is taken
-- before its transaction commits, so a slow transaction committing after a
-- faster one with a larger value would be skipped by "value > last seen".
-- Each row carries the id of the transaction that last wrote it (change_xid,
-- set by the trigger below on every insert and update, whoever writes: a save,
-- an import, a transfer). A read remembers the xmin of its snapshot (every
-- transaction with a smaller id had ended when the snapshot was taken, so what
-- it committed was visible to that read); the next read fetches the rows with
-- change_xid >= that xmin: whatever committed since is among them.
--
-- Rows are never deleted one by one today (only with their dataset); a delete or
-- a truncate of either table still bumps list_generation, and a read that sees
-- another generation than its cache's reads everything again.
ALTER TABLE documents ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE annotation_sets ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';

CREATE FUNCTION spanlab_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.change_xid := pg_current_xact_id();
	RETURN NEW;
END;
$$;
CREATE TRIGGER documents_stamp_change BEFORE INSERT OR UPDATE ON documents
	FOR EACH ROW EXECUTE FUNCTION spanlab_stamp_change();
CREATE TRIGGER annotation_sets_stamp_change BEFORE INSERT OR UPDATE ON annotation_sets
	FOR EACH ROW EXECUTE FUNCTION spanlab_stamp_change();

CREATE INDEX documents_change_xid ON documents (dataset_id, change_xid);
CREATE INDEX annotation_sets_change_xid ON annotation_sets (dataset_id, change_xid);

CREATE TABLE list_generation (
	only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	value bigint NOT NULL
);
INSERT INTO list_generation (value) VALUES (0);

CREATE FUNCTION spanlab_bump_list_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE list_generation SET value = value + 1;
	RETURN NULL;
END;
$$;
CREATE TRIGGER documents_deleted AFTER DELETE OR TRUNCATE ON documents
	FOR EACH STATEMENT EXECUTE FUNCTION spanlab_bump_list_generation();
CREATE TRIGGER annotation_sets_deleted AFTER DELETE OR TRUNCATE ON annotation_sets
	FOR EACH STATEMENT EXECUTE FUNCTION spanlab_bump_list_generation();
