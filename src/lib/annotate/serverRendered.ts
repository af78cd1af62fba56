/**
 * How many spans a page may draw on the server. Drawing spans there (the article's
 * marks, their lanes, the span list, the review's candidates) costs the server's
 * event loop, which every other user shares, in proportion to the spans: at 20,000
 * spans nested over one sentence (the most a set may hold) the annotation page took
 * ~75 ms of it and the review page ~1 s, plus the collections of what they made.
 * Past this many the server sends the page's data and a notice, and the browser
 * draws the document once its script runs (the user's own machine pays, once).
 * A news article's sets hold tens of spans: this is far above any of them.
 */
export const SERVER_RENDERED_SPANS = 2_000;

/** whether a page of `spans` spans in all (every lane of it) is drawn on the server */
export const drawnOnServer = (spans: number): boolean => spans <= SERVER_RENDERED_SPANS;
