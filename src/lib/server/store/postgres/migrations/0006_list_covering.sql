-- The list cache's first read of a dataset (../listCache.ts: every document header
-- and every set summary, once a process) from indexes alone (issue #20: a dataset
-- of 100,000 documents open in < 1 s). Read from the tables, that read is a scan
-- of every row with its text, its search vector and its set's state (~1.1 GB at
-- 100,000 × 3 sets: 0.8–1.5 s of the server's time, most of it reading pages)
-- and a sort spilled to disk; these two indexes hold just what the read needs, in
-- the order it wants, so it is an index-only scan where the visibility map says a
-- page is all-visible (VACUUM and autovacuum set it; a page written since is read
-- from the table as before).
--
-- Cost: each save writes one more index entry (the summary's columns change with
-- every save, so the update was never a HOT one); ~112 MB at 100,000 × 3 sets.
-- (a dataset's positions are unique: 0001's UNIQUE (dataset_id, position))
CREATE INDEX documents_list ON documents (dataset_id, position) INCLUDE (id, title, sha256, length);
CREATE INDEX annotation_sets_list ON annotation_sets (dataset_id, document_id COLLATE "C", annotator COLLATE "C")
	INCLUDE (status, revision, reviewed_spans, updated_at_text, active_seconds, flag_reason, span_labels, span_keys);
-- the rows written before migration 0002 (no span keys): read apart, with their spans; none is written since
CREATE INDEX annotation_sets_legacy ON annotation_sets (dataset_id) WHERE span_keys IS NULL;
