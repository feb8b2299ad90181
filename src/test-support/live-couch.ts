/**
 * Tests that need a real CouchDB read its URL from COUCHBENCH_TEST_URL (with admin
 * credentials, and the typescript and noop query servers registered) and are skipped
 * without it. COUCHBENCH_TEST_COUCHDB_BIN names a CouchDB release's bin/couchdb for the
 * local-target tests.
 */
export const liveCouchUrl: string | undefined = process.env.COUCHBENCH_TEST_URL;
export const liveCouchBin: string | undefined = process.env.COUCHBENCH_TEST_COUCHDB_BIN;

export const SKIP_NO_URL =
  "COUCHBENCH_TEST_URL is not set: set it to http://admin:pass@127.0.0.1:5984 of a CouchDB 3.x with COUCHDB_QUERY_SERVER_TYPESCRIPT registered to run this test";
export const SKIP_NO_BIN =
  "COUCHBENCH_TEST_COUCHDB_BIN is not set: point it at a CouchDB release's bin/couchdb to run this test";
