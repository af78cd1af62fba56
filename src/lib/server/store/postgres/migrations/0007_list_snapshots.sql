-- The list cache's snapshot (issue #20: a 100,000-document dataset opened after a
-- restart in under a second). A process that has read a dataset's document
-- headers and set summaries (../listCache.ts) writes them here, in the lines of
-- the file store's index snapshot (../file/snapshotRows.ts: a JSON text of up to
-- 1,000 documents a line), with the list_generation and the snapshot xmin they
-- were read at. The next process to open the dataset reads these lines (one
-- JSON.parse each) and then only the rows stamped with a change_xid >= that xmin,
-- as any later refresh does; a snapshot of another generation is not used.
--
-- A cache, never the truth: written whole in one transaction, read only when its
-- generation is the current one, and a snapshot that does not parse is read
-- around (everything is read from the tables, as without one). Deleting the
-- dataset deletes it.
CREATE TABLE list_snapshots (
	dataset_id bigint PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
	generation bigint NOT NULL,
	snapshot_xmin xid8 NOT NULL,
	documents integer NOT NULL,
	parts integer NOT NULL,
	written_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE list_snapshot_parts (
	dataset_id bigint NOT NULL REFERENCES list_snapshots(dataset_id) ON DELETE CASCADE,
	part integer NOT NULL,
	line text NOT NULL,
	PRIMARY KEY (dataset_id, part)
);
-- stored as written, not compressed: the lines are read whole at every open (80 MB
-- at 100,000 documents); decompressing them (pglz) took ~0.15 s of a ~1.1 s open here
ALTER TABLE list_snapshot_parts ALTER COLUMN line SET STORAGE EXTERNAL;
