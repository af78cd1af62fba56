/** A refusal or a failure the tool reports in one message (no stack): bad arguments, a non-empty target, a store that cannot be opened or copied as it is. */
export class TransferError extends Error {}
