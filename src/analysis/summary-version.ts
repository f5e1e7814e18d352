/**
 * The version of summary.json's format, apart from its schema
 * (summary-schema.ts says when it is bumped) so that what writes a summary
 * (summarize.ts, in every simulation's thread) does not load zod.
 */

/** The version of summary.json this mxsim writes and reads. */
export const SUMMARY_VERSION = 1;
