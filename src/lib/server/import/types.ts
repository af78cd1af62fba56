/**
 * Shapes of the import parsing layer. Offsets are Unicode code point offsets
 * into `text`, end exclusive (the same convention as ../../types.ts).
 */
import type { ImportProblem } from '../../import/importApi';

export interface ImportedSpan {
	start: number;
	end: number;
	label: string;
	/** the span's attributes as the file gives them (doccano relation JSONL, brat, Label Studio); absent: none */
	attrs?: Record<string, string | boolean>;
	/**
	 * `attrs` are offered, not asked for: kept where the dataset's label defines
	 * the attribute and accepts the value, otherwise dropped without refusing the
	 * import (TimeML: every TIMEX3 has a `value` and `type`, whatever the
	 * dataset's `date` label holds). Absent: `attrs` are checked as given.
	 */
	attrsWhereDefined?: true;
}

/** A relation between two pre-annotated spans: `from`/`to` index the document's `spans`. */
export interface ImportedRelation {
	from: number;
	to: number;
	label: string;
}

export interface ImportedDocument {
	id: string;
	/**
	 * Whole files (txt, html) take their id from the file name; this is the
	 * text-derived id (`d` + sha256) to use instead when that name is already a
	 * document of the dataset.
	 */
	fallbackId?: string;
	title: string;
	/** the document text, exactly as stored (no normalisation) */
	text: string;
	meta: Record<string, unknown>;
	/** hex sha256 of the UTF-8 encoding of `text` */
	sha256: string;
	/** pre-annotations found in the file (spanlab, doccano or Prodigy shape); [] when none */
	spans: ImportedSpan[];
	/** relations between `spans` (doccano relation JSONL, brat, Label Studio); absent: none */
	relations?: ImportedRelation[];
	/**
	 * Display name of the file the document came from; for zip entries
	 * `archive.zip/folder/file.jsonl`. Pre-annotations belong to the annotation
	 * source `import:<source>` (see `importSourceName`).
	 */
	source: string;
	/** 1-based line number for JSONL documents */
	line?: number;
	/** 1-based task number for Label Studio documents */
	task?: number;
}

/** A problem: display name of the file (absent for the final "…and N more problems" entry), line, message. */
export type { ImportProblem } from '../../import/importApi';

export interface ParseOptions {
	/** total size limit of the import in bytes (uncompressed); default 50 MiB */
	maxBytes?: number;
	/** problems kept before collapsing the rest into one "…and N more problems" entry; default 100 */
	maxProblems?: number;
}

export type InputFile =
	| { name: string; data: Uint8Array }
	| { name: string; stream: AsyncIterable<Uint8Array> | Iterable<Uint8Array> };

/**
 * `labelstudio`: a Label Studio JSON export (one array of tasks); `brat`: a
 * brat `.ann` file, read with the `.txt` of the same name; `brat-conf`: brat's
 * configuration files (annotation.conf …), which hold no documents and are skipped.
 */
export type ImportFormat = 'txt' | 'jsonl' | 'html' | 'timeml' | 'zip' | 'labelstudio' | 'brat' | 'brat-conf';

export interface ImportReport {
	/** all problems; the import must be rejected as a whole unless this is empty */
	problems: ImportProblem[];
	/** label -> number of pre-annotated spans with that label (valid documents only) */
	labelsFound: Map<string, number>;
	/** content bytes read (uncompressed size for zip entries) */
	bytes: number;
	/** number of files parsed (zip entries count individually; the zip itself does not) */
	files: number;
	/** number of valid documents yielded */
	documents: number;
	/** true once parsing has finished (normally or after the size limit) */
	done: boolean;
	/** true when parsing stopped because the import exceeds `maxBytes` (HTTP 413) */
	tooLarge: boolean;
}

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_PROBLEMS = 100;
