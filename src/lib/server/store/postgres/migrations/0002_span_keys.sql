-- The document list's "has disagreement" filter and agreement sort (issue #20 item 4):
-- each set's span keys (src/lib/agreement/documentAgreement.ts spanKeysOf: sorted
-- 32-bit hashes of label/start/end, base64), written with every save from now on,
-- together with span_labels, which from now on holds the labels of the reviewed
-- spans only (src/lib/documents/facts.ts), as the summary's span count does.
-- NULL: a row written before this migration; sets.ts computes its labels and keys
-- from its state when it reads it, until its next save writes them.
ALTER TABLE annotation_sets ADD COLUMN span_keys text;
