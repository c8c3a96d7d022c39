// Verify credential files with @digitalcredentials/verifier-core, offline.
//
//   node verify.mjs credential.json [more.json ...]
//
// Prints one JSON line per file: {"file", "verified", "revoked", "schema", "errors", "log"}.
// "verified" is true when the signature checks and no step failed; "revoked" is the
// revocation step's answer (null when it could not be checked); "schema" the results of the
// Open Badges JSON schema check (an array, or a word when none was made).
//
// Offline: every fetch to a host other than the loopback is refused before it leaves the
// machine, so the JSON-LD contexts come from the verifier's bundled copies, the issuer's
// did:key is resolved locally, and the status list must come from the portal served on
// 127.0.0.1 by the test. verifier-core also checks an Open Badges credential against
// 1EdTech's JSON schema, which it fetches: that schema is served from schemas/ (1EdTech's
// AchievementCredential schema for VC 2.0, $id set to the address verifier-core asks for).
import { readFile } from 'node:fs/promises';

const realFetch = globalThis.fetch;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SCHEMAS = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/';

globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (url.href.startsWith(SCHEMAS)) {
    const name = url.pathname.split('/').pop();
    const body = await readFile(new URL(`./schemas/${name}`, import.meta.url));
    return new Response(body, { headers: { 'Content-Type': 'application/json' } });
  }
  if (!LOOPBACK.has(url.hostname)) {
    throw new TypeError(`offline: refused to fetch ${url.href}`);
  }
  return realFetch(input, init);
};

// Imported after the fetch guard is in place: the HTTP client binds fetch when it loads.
const { verifyCredential } = await import('@digitalcredentials/verifier-core');

function summary(file, result) {
  const log = (result.log ?? []).map(({ id, valid, error }) => ({ id, valid, error }));
  const errors = (result.errors ?? []).map(({ name, message }) => ({ name, message }));
  const failed = log.some((step) => step.valid === false && step.id !== 'registered_issuer');
  const unchecked = log.some((step) => step.error);
  const revocation = log.find((step) => step.id === 'revocation_status');
  const schema = (result.additionalInformation ?? []).find((entry) => entry.id === 'schema_check');
  return {
    file,
    verified: errors.length === 0 && log.length > 0 && !failed && !unchecked,
    revoked: revocation && 'valid' in revocation && revocation.valid !== undefined
      ? !revocation.valid : null,
    schema: schema ? schema.results : null,
    errors,
    log,
  };
}

for (const file of process.argv.slice(2)) {
  const credential = JSON.parse(await readFile(file, 'utf8'));
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  console.log(JSON.stringify(summary(file, result)));
}
