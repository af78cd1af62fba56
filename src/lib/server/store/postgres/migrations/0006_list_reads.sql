-- Two index changes found while measuring the document list at 100,000 documents
-- (issue #20):
--
-- documents_title_sort (0001) goes: no query uses it (the list sorts by title in
-- the list cache, ../listCache.ts), and a B-tree entry holds at most ~2.7 KB, so
-- a document whose title did not compress below that (4,000 random letters) could
-- not be imported at all: "index row size exceeds btree version 4 maximum 2704".
-- The title search keeps its trigram index (documents_title_trgm), whose entries
-- are trigrams, whatever the title's length.
DROP INDEX documents_title_sort;

-- The list cache reads the rows written before migration 0002 (no span keys)
-- apart, with their spans (../listCache.ts readSummaryRows); none is written
-- since, so this index is empty but for a database from before 0002.
CREATE INDEX annotation_sets_legacy ON annotation_sets (dataset_id) WHERE span_keys IS NULL;
