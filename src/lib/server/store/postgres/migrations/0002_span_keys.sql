-- The document list's "has disagreement" filter and agreement sort (issue #20 item 4):
-- each set's span keys (src/lib/agreement/documentAgreement.ts spanKeysOf: sorted
-- 32-bit hashes of label/start/end, base64), written with every save from now on,
-- together with span_labels, which from now on holds the labels of the reviewed
-- spans only (src/lib/documents/facts.ts), as the summary's span count does.
-- NULL: a row written before this migration; sets.ts computes its labels and keys
-- from its state when it reads it, until its next save writes them.
ALTER TABLE annotation_sets ADD COLUMN span_keys text;

-- The summary's updated_at as the state has it (the exact string), so that a list
-- reads no state: state->>'updated_at' parsed every set's whole json, most of the
-- time of a 10,000-document list page. Rows from before are filled in here.
ALTER TABLE annotation_sets ADD COLUMN updated_at_text text;
UPDATE annotation_sets SET updated_at_text = state->>'updated_at';
