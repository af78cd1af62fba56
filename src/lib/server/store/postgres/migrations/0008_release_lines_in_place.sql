-- A release's lines stay where its cut wrote them (issue #20: a release of
-- 100,000 × 3 × 30 is ~2 GB of JSONL). Until now a cut wrote its lines to
-- release_draft_lines and publishing copied them into release_records and
-- deleted the draft's: the server read, compressed and logged every byte twice
-- more (23 s of a 125 s cut here, the app waiting). Now publishing is one row:
-- the release, naming the cut whose lines it is. A release is still there whole
-- or not at all (every read of its lines starts from that row, ../releases.ts),
-- and two cuts of one version may still run at once (each writes under its own
-- id; one release row is inserted, the other cut is refused and discards).
--
-- So the drafts become cuts, kept while a release names them: release_cuts (a
-- cut's id and dataset) and release_lines (its lines). A cut no release names is
-- unfinished: discarded by its process, or, when that process died, deleted at a
-- start a day later, as drafts were. Releases published before this keep their
-- lines in release_records (their cut_id is NULL) and read back as before.
ALTER TABLE release_drafts RENAME TO release_cuts;
ALTER TABLE release_draft_lines RENAME TO release_lines;
ALTER TABLE release_lines RENAME COLUMN draft_id TO cut_id;
ALTER TABLE releases ADD COLUMN cut_id uuid REFERENCES release_cuts (id);
-- a cut's lines are written once, as the release's lines are
CREATE TRIGGER release_lines_append_only BEFORE UPDATE ON release_lines
	FOR EACH ROW EXECUTE FUNCTION spanlab_refuse_update();
